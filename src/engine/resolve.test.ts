/**
 * `resolve`: the order backends walk, the one input-order rule, params typed and resolved per kind, and what an
 * invalid design leaves; `callRule` hands a table's entry the node of its own kind.
 */
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import type { Design } from '../contract/types.ts';
import { analyze } from './analyze.ts';
import { callRule, eachRule, resolve } from './resolve.ts';
import { KIND_NAMES, type KindName } from './registry.ts';

/** A table of the shape backends keep: each kind's entry reports its own kind (as a rule would see it). */
const ECHO = Object.fromEntries(KIND_NAMES.map((k) => [k, { kind: k }])) as { [K in KindName]: { kind: K } };

describe('resolve', () => {
  it('lists every node of a valid design in topological order, whatever the file order', () => {
    const d: Design = {
      format: 'convas.design', version: 1, name: 'scrambled',
      nodes: [
        { id: 'head', kind: 'dense', params: { units: 10 } },
        { id: 'flat', kind: 'flatten', params: {} },
        { id: 'conv', kind: 'conv2d', params: { filters: 4, kernelSize: 3 } },
        { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } },
      ],
      edges: [
        { source: 'flat', target: 'head' }, { source: 'conv', target: 'flat' }, { source: 'in', target: 'conv' },
      ],
    };
    const r = resolve(d);
    expect(r.nodes.map((n) => n.id)).toEqual(['in', 'conv', 'flat', 'head']);
    expect(r.nodes.map((n) => [n.inputShapes, n.outputShape])).toEqual([
      [[], [8, 8, 3]], [[[8, 8, 3]], [6, 6, 4]], [[[6, 6, 4]], [144]], [[[144]], [10]],
    ]);
    expect([...r.byId.keys()].sort()).toEqual(['conv', 'flat', 'head', 'in']);
  });

  it('gives a merge its inputs in port order: targetPort where given, file order for the rest', () => {
    const b = new DesignBuilder('ports');
    b.input([4, 4, 1]);
    b.add('conv2d', { filters: 2, kernelSize: 1 }, 'in', 'two');
    b.add('conv2d', { filters: 3, kernelSize: 1 }, 'in', 'three');
    b.add('conv2d', { filters: 5, kernelSize: 1 }, 'in', 'five');
    const d = b.design();
    d.nodes.push({ id: 'cat', kind: 'concat', params: {} });
    d.edges.push({ source: 'two', target: 'cat' }, { source: 'three', target: 'cat', targetPort: 0 }, { source: 'five', target: 'cat' });
    const cat = resolve(d).byId.get('cat')!;
    expect(cat.inputs).toEqual(['three', 'two', 'five']);
    expect(cat.inputShapes.map((s) => s[2])).toEqual([3, 2, 5]);
    expect(cat.outputShape).toEqual([4, 4, 10]);
  });

  it('types and resolves params per kind: defaults filled in, int2 as pairs, pool strides from the pool size', () => {
    const b = new DesignBuilder('params');
    b.input([16, 16, 3]);
    b.add('conv2d', { filters: 8, kernelSize: 5 }, 'in', 'c');
    b.add('maxPool2d', { poolSize: 3 }, 'c', 'p');
    const r = resolve(b.design());
    const c = r.byId.get('c')!;
    const p = r.byId.get('p')!;
    if (c.kind !== 'conv2d' || p.kind !== 'maxPool2d') throw new Error('kinds were not kept');
    // typed by kind: `kernelSize` is a Pair here, `strides` of the pool too
    const kernel: [number, number] = c.params.kernelSize;
    expect(kernel).toEqual([5, 5]);
    expect(c.params).toMatchObject({ filters: 8, strides: [1, 1], dilation: [1, 1], padding: 'valid', groups: 1, useBias: true });
    expect(p.params.strides).toEqual([3, 3]);
    // the design's own node is untouched: resolving fills nothing into it
    expect(c.node.params).toEqual({ filters: 8, kernelSize: 5 });
  });

  it('leaves out what an error stops in an invalid design (the node and all after it), and never throws', () => {
    const b = new DesignBuilder('broken');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'ok');
    b.add('conv2d', { filters: 4, kernelSize: 11 }, 'ok', 'tooBig'); // 11×11 on a 6×6 map
    b.add('activation', { fn: 'relu' }, 'tooBig', 'after');
    b.add('conv2d', { filters: -1, kernelSize: 1 }, 'ok', 'badParam');
    b.add('mystery', {}, 'ok', 'unknownKind');
    const d = b.design();
    const a = analyze(d);
    expect(a.valid).toBe(false);
    const r = resolve(d, a);
    expect(r.nodes.map((n) => n.id)).toEqual(['in', 'ok']);
    expect(r.analysis).toBe(a);
  });

  it('leaves out nodes on a cycle and after it; of nodes sharing an id, takes the first once', () => {
    const d: Design = {
      format: 'convas.design', version: 1, name: 'cycle',
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [4] } },
        { id: 'a', kind: 'add', params: {} },
        { id: 'b', kind: 'add', params: {} },
        { id: 'out', kind: 'dense', params: { units: 2 } },
        { id: 'x', kind: 'dense', params: { units: 3 } },
        { id: 'x', kind: 'dense', params: { units: 7 } },
      ],
      edges: [
        { source: 'in', target: 'a' }, { source: 'b', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'out' },
        { source: 'in', target: 'x' },
      ],
    };
    const r = resolve(d);
    expect(r.nodes.map((n) => n.id)).toEqual(['in', 'x']);
    expect(r.byId.get('x')!.outputShape).toEqual([3]);
  });
});

describe('callRule and eachRule', () => {
  it('hand each node the entry of its own kind', () => {
    const b = new DesignBuilder('kinds');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 });
    b.add('batchNorm', {});
    b.add('globalAvgPool', {});
    const r = resolve(b.design());
    expect(r.nodes.map((n) => callRule(ECHO, n, (rule, node) => [rule.kind, node.kind]))).toEqual([
      ['input', 'input'], ['conv2d', 'conv2d'], ['batchNorm', 'batchNorm'], ['globalAvgPool', 'globalAvgPool'],
    ]);
  });

  it('eachRule visits a table in its own order, each entry with its kind', () => {
    const seen: string[] = [];
    eachRule(ECHO, (kind, rule) => seen.push(`${kind}=${rule.kind}`));
    expect(seen).toEqual(Object.keys(ECHO).map((k) => `${k}=${k}`));
  });
});
