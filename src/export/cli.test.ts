import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../core/index.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';

const run = (args: string[]) => spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'convas-cli-export-'));

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

describe('convas export / import', () => {
  it('--to tfjs writes model.json + weights.bin that tfjs loads back with the same outputs', async () => {
    const dir = tmp();
    const r = run(['export', 'presets/inception-module.convas.json', '--to', 'tfjs', '--out', join(dir, 'm'), '--seed', '4']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'm', 'model.json'), 'utf8'));
    const bin = readFileSync(join(dir, 'm', 'weights.bin'));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }));
    const design = JSON.parse(readFileSync('presets/inception-module.convas.json', 'utf8')) as Design;
    const c = compileDesign(design, { seed: 4 });
    const x = tf.randomUniform([1, ...(c.model.inputs[0].shape.slice(1) as number[])], 0, 1, 'float32', 3);
    const list = (y: tf.Tensor | tf.Tensor[]) => (Array.isArray(y) ? y : [y]);
    const a = list(c.model.predict(x));
    const b = list(loaded.predict(x));
    expect(b).toHaveLength(a.length);
    a.forEach((t, i) => expect(tf.max(tf.abs(tf.sub(t, b[i]))).dataSync()[0]).toBe(0));
    expect(loaded.countParams()).toBe(analyze(design).totals.params);
  });

  it('import reads the saved model.json back into a design with the same totals; a bad file is exit 2', () => {
    const dir = tmp();
    expect(run(['export', 'presets/resnet18.convas.json', '--to', 'tfjs', '--out', join(dir, 't')]).status).toBe(0);
    const r = run(['import', join(dir, 't', 'model.json'), '--out', join(dir, 'back.convas.json')]);
    expect(r.status, r.stderr).toBe(0);
    const back = analyze(JSON.parse(readFileSync(join(dir, 'back.convas.json'), 'utf8')));
    const orig = analyze(JSON.parse(readFileSync('presets/resnet18.convas.json', 'utf8')));
    expect(back.totals).toEqual(orig.totals);
    writeFileSync(join(dir, 'lstm.json'), JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: { name: 'rnn', batch_input_shape: [null, 4, 4, 1] } }] } }));
    const bad = run(['import', join(dir, 'lstm.json'), '--out', join(dir, 'x.json')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("layer 'rnn': LSTM is not a layer Convas knows");
    expect(run(['import', join(dir, 'missing.json'), '--out', join(dir, 'x.json')]).status).toBe(2);
  });

  it('--to onnx writes a model; --to svg/png say to use the editor (exit 1)', () => {
    const dir = tmp();
    const r = run(['export', 'presets/dense-block.convas.json', '--to', 'onnx', '--out', join(dir, 'm.onnx')]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'm.onnx')).length).toBeGreaterThan(4 * analyze(JSON.parse(readFileSync('presets/dense-block.convas.json', 'utf8'))).totals.params);
    const png = run(['export', 'presets/dense-block.convas.json', '--to', 'png', '--out', join(dir, 'm.png')]);
    expect(png.status).toBe(1);
    expect(png.stderr).toContain('use the editor');
  });

  it('--to svg draws every node with its name and shape; --weights writes the PyTorch weights beside model.py', () => {
    const dir = tmp();
    const r = run(['export', 'presets/inception-module.convas.json', '--to', 'svg', '--out', join(dir, 'm.svg')]);
    expect(r.status, r.stderr).toBe(0);
    const svg = readFileSync(join(dir, 'm.svg'), 'utf8');
    const design = JSON.parse(readFileSync('presets/inception-module.convas.json', 'utf8')) as Design;
    expect(svg.match(/<g class="node">/g)).toHaveLength(design.nodes.length);
    expect(svg).toContain('28×28×256');
    const w = run(['export', 'presets/dense-block.convas.json', '--to', 'pytorch', '--out', join(dir, 'model.py'), '--weights', '--seed', '2']);
    expect(w.status, w.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'model.weights.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'convas.torch-weights', version: 1, data: 'model.weights.bin', seed: 2 });
    const values = manifest.tensors.reduce((n: number, t: { shape: number[] }) => n + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(values).toBe(analyze(JSON.parse(readFileSync('presets/dense-block.convas.json', 'utf8'))).totals.params);
    expect(readFileSync(join(dir, 'model.weights.bin')).length).toBe(values * 4);
  });
});
