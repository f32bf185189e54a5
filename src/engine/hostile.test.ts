/**
 * Long, deep and strange designs (issue 15): no recursion a design can exhaust, a cycle reported once, text
 * that cannot smuggle control characters. Each test feeds the hostile input and checks the clear outcome.
 */
import { describe, expect, it } from 'vitest';
import { analyze, analyzeText, escapeControl, formatError, nodeDepths, parseDesignText, stripBom, type Design } from './index.ts';

const chain = (n: number): Design => {
  const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [8] } }];
  const edges: Design['edges'] = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, kind: 'activation', params: { fn: 'relu' } });
    edges.push({ id: `e${i}`, source: i === 1 ? 'in' : `n${i - 1}`, target: `n${i}` });
  }
  return { format: 'convas.design', version: 1, name: 'chain', nodes, edges };
};

describe('hostile designs in the engine', () => {
  it('a 10,000-node cycle is named once, with its length and a few ids, not 10,000 times in full', () => {
    const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [8] } }];
    const edges: Design['edges'] = [{ id: 'e0', source: 'in', target: 'c0' }];
    for (let i = 0; i < 10_000; i++) {
      nodes.push({ id: `c${i}`, kind: 'add', params: {} });
      edges.push({ id: `f${i}`, source: `c${i}`, target: `c${(i + 1) % 10_000}` });
    }
    const a = analyze({ format: 'convas.design', version: 1, name: 'cycle', nodes, edges });
    const full = a.errors.filter((e) => e.message.includes(' → '));
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ nodeId: 'c0' });
    expect(full[0].message).toBe("is part of a cycle 'c0' → 'c1' → 'c2' → 'c3' → … → 'c9998' → 'c9999' → 'c0' (10,000 layers); a network must flow one way");
    expect(formatError(a.errors.find((e) => e.nodeId === 'c5000')!, { nodes })).toBe("add 'c5000': is part of the cycle through 'c0' (10,000 layers); a network must flow one way");
    // Every message is short: the whole error list of 10,000 nodes stays under 1 MB (it was gigabytes).
    expect(a.errors.reduce((s, e) => s + e.message.length, 0)).toBeLessThan(1_000_000);
  });

  it('two cycles joined by a long path: each cycle named once, the path between them said to lie between', () => {
    const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [8] } }];
    const edges: Design['edges'] = [{ id: 'e0', source: 'in', target: 'a0' }];
    const ring = (p: string, n: number) => {
      for (let i = 0; i < n; i++) {
        nodes.push({ id: `${p}${i}`, kind: 'add', params: {} });
        edges.push({ id: `${p}e${i}`, source: `${p}${i}`, target: `${p}${(i + 1) % n}` });
      }
    };
    ring('a', 3);
    ring('b', 3);
    for (let i = 0; i < 2000; i++) nodes.push({ id: `p${i}`, kind: 'add', params: {} });
    for (let i = 0; i < 2000; i++) edges.push({ id: `pe${i}`, source: i ? `p${i - 1}` : 'a1', target: `p${i}` });
    edges.push({ id: 'back', source: 'p1999', target: 'b0' }, { id: 'back2', source: 'b2', target: 'a0' });
    const a = analyze({ format: 'convas.design', version: 1, name: 'x', nodes, edges });
    expect(a.errors.filter((e) => e.message.includes(' → '))).toHaveLength(1); // a0 → … → b2 → a0 is one big cycle
    expect(a.valid).toBe(false);
  });

  it('a 200,000-node chain analyses, and nodeDepths walks it without recursion', () => {
    const d = chain(200_000);
    const a = analyze(d);
    expect(a.valid).toBe(true);
    expect(a.nodes).toHaveLength(200_000);
    expect(nodeDepths(d).get('n199999')).toBe(199_999);
    // listed outputs-first, the depths are the same
    expect(nodeDepths({ ...d, nodes: [...d.nodes].reverse() }).get('n199999')).toBe(199_999);
  });

  it('a 100,000-deep nested param value is refused with a short message naming the field', () => {
    let deep = '1';
    for (let i = 0; i < 100_000; i++) deep = `[${deep}]`;
    const text = `{"format":"convas.design","version":1,"name":"deep","nodes":[{"id":"in","kind":"input","params":{"shape":${deep}}},`
      + `{"id":"c","kind":"conv2d","params":{"filters":1,"kernelSize":${deep}}}],"edges":[{"id":"e","source":"in","target":"c"}]}`;
    const r = analyzeText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.analysis.errors.map((e) => [e.nodeId, e.field])).toEqual([['in', 'shape'], ['c', 'kernelSize']]);
    for (const e of r.analysis.errors) expect(e.message.length).toBeLessThan(120);
    expect(r.analysis.errors[0].message).toContain('got [[[…]]]');
  });

  it('a UTF-8 byte-order mark before the JSON is accepted', () => {
    const text = '\ufeff{"format":"convas.design","version":1,"name":"bom","nodes":[{"id":"in","kind":"input","params":{"shape":[4]}}]}';
    const r = parseDesignText(text);
    expect(r.ok && r.design.name).toBe('bom');
    expect(stripBom('\ufeffx')).toBe('x');
    expect(stripBom('x\ufeff')).toBe('x\ufeff');
  });

  it('escapeControl shows every control character as text and leaves the rest alone', () => {
    expect(escapeControl('\u001b]0;t\u0007\u001b[2J\u0000\n\t\u009b\u2028\u202e')).toBe('\\x1b]0;t\\x07\\x1b[2J\\x00\\x0a\\x09\\x9b\\u2028\\u202e');
    expect(escapeControl('ResNet-50 ×2 — 模型 😀')).toBe('ResNet-50 ×2 — 模型 😀');
    expect(escapeControl('a\ud800b')).toBe('a\\ud800b'); // a lone surrogate
  });
});
