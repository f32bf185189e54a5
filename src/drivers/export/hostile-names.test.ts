/**
 * Names and values that cannot break what Convas writes (issue 15): node ids that are `nn.Module`'s own names,
 * underscores that Python mangles, a design named `f`, control characters (NUL, ESC, newlines) in names. The
 * module must import, run and load its weights by name in real PyTorch; the SVG must be well-formed XML.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { analyze, type Design } from '../../engine/index.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { pythonClassName, pyName } from '../../engine/names.ts';
import { toOnnx } from './onnx.ts';
import { toPyTorch } from './pytorch.ts';
import { torchStateDict } from './torch-layout.ts';
import { torchWeights } from './torch-weights.ts';
import { toSvg } from './svg.ts';
import { renderPng } from './png-node.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';


const NASTY = 'a\u0000b\u001b]0;pwned\u0007\u001b[2J\n"""\\\r\u0085\u2028\ud800';

/** A chain whose ids are the names that used to break the module; every layer with weights, BN buffers too. */
function hostile(): Design {
  const ids = ['forward', 'training', 'to', '_modules', '__x', 'cuda', 'state_dict', 'forward_', 'F', 'self'];
  const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [6, 6, 3] }, name: NASTY }];
  const edges: Design['edges'] = [];
  let prev = 'in';
  ids.forEach((id, i) => {
    const kind = i % 3 === 2 ? 'batchNorm' : 'conv2d';
    nodes.push({ id, kind, params: kind === 'conv2d' ? { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' } : {}, name: `${NASTY}${i}` });
    edges.push({ id: `e${i}`, source: prev, target: id });
    prev = id;
  });
  return { format: 'convas.design', version: 1, name: `f`, nodes, edges };
}

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

describe('PyTorch export of hostile names', () => {
  it('makes attribute and class names safe: no keyword, no nn.Module name, no leading underscore, no F', () => {
    expect(pyName('forward')).toBe('forward_');
    expect(pyName('training')).toBe('training_');
    expect(pyName('to')).toBe('to_');
    expect(pyName('_modules')).toBe('l_modules');
    expect(pyName('__x')).toBe('l__x');
    expect(pyName('0')).toBe('l_0');
    expect(pythonClassName('f')).toBe('FNet');
    expect(pythonClassName('none')).toBe('NoneNet');
    const py = toPyTorch(hostile());
    expect(py).not.toContain('\u0000');
    expect(py).not.toContain('\u001b');
    expect(py).toContain("# node 'forward': a\\x00b\\x1b]0;pwned");
  });

  itWithPython(['torch', 'numpy'], 'imports, runs, keeps nn.Module working, loads the weights by name and agrees with tfjs in real PyTorch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-hostile-'));
    const design = hostile();
    const compiled = compileDesign(design, { seed: 7 });
    writeFileSync(join(dir, 'f.py'), toPyTorch(design, compiled.analysis));
    const w = torchWeights(design, compiled, 'f.bin', 7);
    writeFileSync(join(dir, 'f.bin'), w.data);
    writeFileSync(join(dir, 'f.weights.json'), JSON.stringify(w.manifest));
    const x = tf.randomUniform([1, 6, 6, 3], -1, 1, 'float32', 3);
    const y = compiled.model.predict(x) as tf.Tensor;
    writeFileSync(join(dir, 'x.bin'), new Uint8Array((x.dataSync() as Float32Array).buffer.slice(0)));
    writeFileSync(join(dir, 'y.bin'), new Uint8Array((y.dataSync() as Float32Array).buffer.slice(0)));
    const manifest = [{
      file: join(dir, 'f.py'), weights: join(dir, 'f.weights.json'),
      inputs: [{ file: join(dir, 'x.bin'), shape: x.shape }], outputs: [{ file: join(dir, 'y.bin'), shape: y.shape }],
    }];
    tf.dispose([x, y]);
    compiled.model.dispose();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const out = execFileSync(PYTHON, ['scripts/check_torch_weights.py', join(dir, 'manifest.json')], { encoding: 'utf8', timeout: 110_000 });
    const r = JSON.parse(out.trim()) as { maxDiff: number; maxAbs: number };
    expect(r.maxDiff / Math.max(1, r.maxAbs)).toBeLessThan(1e-4);

    // nn.Module's own machinery still works, and NODE_IDS maps each renamed attribute back to its node id.
    const probe = execFileSync(PYTHON, ['-c', [
      'import importlib.util, json, torch',
      `spec = importlib.util.spec_from_file_location("m", ${JSON.stringify(join(dir, 'f.py'))})`,
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'net = m.Model().to("cpu").eval()',
      'keys = sorted({k.split(".")[0] for k in net.state_dict()})',
      'print(json.dumps({"cls": type(net).__name__, "training": net.training, "F": m.F is torch.nn.functional, "keys": keys, "ids": m.NODE_IDS}))',
    ].join('\n')], { encoding: 'utf8', timeout: 60_000 });
    const p = JSON.parse(probe);
    expect(p.cls).toBe('FNet');
    expect(p.training).toBe(false);
    expect(p.F).toBe(true);
    expect(p.keys).toEqual(['F', 'cuda_', 'forward_', 'forward__2', 'l__x', 'l_modules', 'self_', 'state_dict_', 'to_', 'training_']);
    expect(p.ids).toEqual({
      in_: 'in', forward_: 'forward', training_: 'training', to_: 'to', l_modules: '_modules', l__x: '__x',
      cuda_: 'cuda', state_dict_: 'state_dict', forward__2: 'forward_', self_: 'self',
    });
  }, 120_000);
});

describe('ONNX export of hostile names', () => {
  it("names its initializers by the PyTorch state dict's keys, renamed ids included, with the same values", () => {
    const design = hostile();
    const state = torchStateDict(design, analyze(design), { seed: 7 });
    const initializers = onnxProto.onnx.ModelProto.decode(toOnnx(design, { seed: 7 })).graph!.initializer!;
    expect(initializers.map((t) => t.name)).toEqual([...state.keys()]);
    // the ids that needed renaming: an nn.Module method, a leading underscore, a renamed id's own rename
    expect([...state.keys()]).toEqual(expect.arrayContaining(['forward_.weight', 'l_modules.weight', 'forward__2.weight', 'to_.running_var']));
    for (const t of initializers) {
      const want = state.get(t.name!)!.data;
      expect(Buffer.from(t.rawData!).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)), t.name!).toBe(true);
    }
  });
});

describe('SVG and PNG of hostile names', () => {
  it('control characters in names and the design name still make well-formed XML, and the PNG renders', () => {
    const design = hostile();
    design.name = NASTY;
    design.nodes.push({ id: '__proto__', kind: '\u001b[2Jevil', params: {}, name: NASTY });
    design.edges.push({ id: 'ex', source: 'self', target: '__proto__' });
    const svg = toSvg(design);
    // eslint-disable-next-line no-control-regex -- no control character XML 1.0 forbids may reach the SVG
    expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    // An independent XML parser (Python's expat) must accept it.
    const r = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom as d; d.parseString(sys.stdin.buffer.read()); print("ok")'], { input: svg, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
    expect(svg).toContain('a\\x00b\\x1b]0;pwned');
    const png = renderPng(svg, {});
    expect(png.width).toBeGreaterThan(0);
  });

  it('draws a 3,000-node chain listed outputs-first (no recursion)', () => {
    const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [8] } }];
    const edges: Design['edges'] = [];
    for (let i = 1; i < 3000; i++) {
      nodes.push({ id: `n${i}`, kind: 'activation', params: { fn: 'relu' } });
      edges.push({ id: `e${i}`, source: i === 1 ? 'in' : `n${i - 1}`, target: `n${i}` });
    }
    nodes.reverse();
    const svg = toSvg({ format: 'convas.design', version: 1, name: 'chain', nodes, edges });
    expect(svg.match(/<g class="node">/g)).toHaveLength(3000);
    // The last layer sits at the bottom: 2,999 rows below the input.
    const y = (id: string) => Number(new RegExp(`<title>${id}</title><rect x="[\\d.]+" y="([\\d.]+)"`).exec(svg)![1]);
    expect(y('n2999') - y('in')).toBe(2999 * (74 + 56));
  });
});
