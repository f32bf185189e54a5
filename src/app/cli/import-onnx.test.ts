/**
 * `convas import MODEL.onnx` and the trained weights on the command line, as a person runs them: a model with an
 * operator Convas cannot express is refused one line per node with exit 1 and nothing written; an imported model
 * runs and exports with its own weights; a weight that does not fit names the layer and both shapes (exit 1).
 * The numbers of the round trip are checked against onnxruntime in src/drivers/import/onnx-import.test.ts.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';

const { onnx } = onnxProto;
const dir = mkdtempSync(join(tmpdir(), 'convas-onnx-cli-'));

const convas = (args: string[]) => {
  const r = spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const vi = (name: string, dims: number[]) => onnx.ValueInfoProto.create({
  name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});
const floats = (name: string, dims: number[], f: (i: number) => number) => onnx.TensorProto.create({
  name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => f(i)),
});

/** conv 3→4 (3×3, pad 1) → `second` op → output, as PyTorch names the nodes. */
function model(second: string): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'torch_jit',
      node: [
        onnx.NodeProto.create({
          opType: 'Conv', name: '/conv/Conv', input: ['x', 'conv.weight', 'conv.bias'], output: ['c'],
          attribute: [onnx.AttributeProto.create({ name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1] })],
        }),
        onnx.NodeProto.create({ opType: second, name: `/act/${second}`, input: ['c'], output: ['y'] }),
      ],
      input: [vi('x', [1, 3, 8, 8])], output: [vi('y', [1, 4, 8, 8])],
      initializer: [floats('conv.weight', [4, 3, 3, 3], (i) => Math.sin(i)), floats('conv.bias', [4], (i) => i / 10)],
    },
  })).finish();
}

describe('convas import MODEL.onnx', () => {
  it('refuses an operator without a kind: one line naming the node and operator, exit 1, nothing written', () => {
    writeFileSync(join(dir, 'cos.onnx'), model('Cos'));
    const out = join(dir, 'cos.convas.json');
    const r = convas(['import', join(dir, 'cos.onnx'), '--out', out, '--weights-out', join(dir, 'cos-w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/act/Cos (Cos): Convas has no kind for this operator');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'cos-w'))).toBe(false);
  });

  it('imports with the weights, runs with them, and refuses weights that do not fit, naming the layer and shapes', () => {
    writeFileSync(join(dir, 'm.onnx'), model('Relu'));
    const out = join(dir, 'm.convas.json');
    const imp = convas(['import', join(dir, 'm.onnx'), '--out', out, '--weights-out', join(dir, 'mw')]);
    expect(imp.stderr).toMatch(/wrote .*m\.convas\.json, .*model\.json, .*weights\.bin \(3 nodes, 112 parameters, ONNX opset 13\)/);
    expect(imp.code).toBe(0);
    const design = JSON.parse(readFileSync(out, 'utf8'));
    expect(design.name).toBe('m');
    expect(design.nodes.map((n: { id: string }) => n.id)).toEqual(['x', 'conv', 'act']);

    const run = convas(['run', out, '--weights', join(dir, 'mw', 'model.json'), '--backend', 'cpu']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Weights: ${join(dir, 'mw', 'model.json')}`);

    design.nodes[1].params.filters = 5;
    writeFileSync(join(dir, 'm5.convas.json'), JSON.stringify(design));
    const bad = convas(['export', join(dir, 'm5.convas.json'), '--to', 'onnx', '--out', join(dir, 'm5.onnx'), '--weights-from', join(dir, 'mw', 'model.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/layer 'conv': kernel is \[3, 3, 3, 4\] in .*model\.json but \[3, 3, 3, 5\] in this design/);
    expect(existsSync(join(dir, 'm5.onnx'))).toBe(false);
  }, 120_000);
});
