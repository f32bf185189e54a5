import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { fitScale, MAX_SIDE, renderPng } from './png-node.ts';
import { toSvg } from './svg.ts';

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

  it('import reads back its own ceil-mode pools (GoogLeNet); a hostile model.json is exit 1 naming the layer and field', () => {
    const dir = tmp();
    expect(run(['export', 'presets/googlenet.convas.json', '--to', 'tfjs', '--out', join(dir, 'g')]).status).toBe(0);
    const r = run(['import', join(dir, 'g', 'model.json'), '--out', join(dir, 'g.convas.json')]);
    expect(r.status, r.stderr).toBe(0);
    const back = JSON.parse(readFileSync(join(dir, 'g.convas.json'), 'utf8')) as Design;
    const orig = JSON.parse(readFileSync('presets/googlenet.convas.json', 'utf8')) as Design;
    expect(analyze(back).totals).toEqual(analyze(orig).totals);
    // every node keeps its id and shape; torchvision's maxpool1-3 (224 → 112 → 56 → 28 → 14 with k3 s2) have a last
    // window that hangs over, so come back with ceilMode; the k3 s1 p1 branch pools and maxpool4 (k2 s2 on 14) do not
    const shapes = (d: Design) => Object.fromEntries(analyze(d).nodes.map((n) => [n.id, n.outputShape]));
    expect(shapes(back)).toEqual(shapes(orig));
    expect(back.nodes.filter((n) => n.params.ceilMode === true).length).toBe(3);
    writeFileSync(join(dir, 'act.json'), JSON.stringify({ class_name: 'Sequential', config: { layers: [
      { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8, 8, 3] } },
      { class_name: 'Dense', config: { name: 'fc', units: 4, activation: 5 } },
    ] } }));
    const bad = run(['import', join(dir, 'act.json'), '--out', join(dir, 'x.json')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe(`convas: ${join(dir, 'act.json')}: layer 'fc' (Dense): field 'activation': expected an activation name, got 5`);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('--to onnx writes a model', () => {
    const dir = tmp();
    const r = run(['export', 'presets/dense-block.convas.json', '--to', 'onnx', '--out', join(dir, 'm.onnx')]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'm.onnx')).length).toBeGreaterThan(4 * analyze(JSON.parse(readFileSync('presets/dense-block.convas.json', 'utf8'))).totals.params);
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

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first (bytes 8–32 of a PNG). */
function ihdr(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decodes the PNG and counts the pixels dark enough to be text or a box's outline (the background and the fills
 * are light), and the inked ones: any colour other than the background's (the top-left pixel's).
 */
function darkPixels(bytes: Uint8Array): { dark: number; inked: number; total: number } {
  const { data, width, height } = PNG.sync.read(Buffer.from(bytes));
  let dark = 0;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 128 && 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 110) dark++;
    if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 24) inked++;
  }
  return { dark, inked, total: width * height };
}

const svgSize = (svg: string) => {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  expect(m, 'the SVG root has width and height').not.toBeNull();
  return { width: Number(m![1]), height: Number(m![2]) };
};

describe('convas export --to png', () => {
  it('vgg16: a PNG twice the SVG\'s size, with boxes and text drawn', () => {
    const dir = tmp();
    const out = join(dir, 'vgg16.png');
    const r = run(['export', 'presets/vgg16.convas.json', '--to', 'png', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const bytes = new Uint8Array(readFileSync(out));
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const design = JSON.parse(readFileSync('presets/vgg16.convas.json', 'utf8')) as Design;
    const svg = svgSize(toSvg(design, analyze(design)));
    const { width, height } = ihdr(bytes);
    expect(width).toBe(Math.ceil(svg.width * 2));
    expect(height).toBe(Math.ceil(svg.height * 2));
    expect(r.stderr).toContain(`PNG ${width}×${height} px, scale 2`);
    // Not blank: decoded, a good share of the pixels are dark (outlines, arrows, text) or coloured.
    const { dark, inked, total } = darkPixels(bytes);
    expect(dark / total).toBeGreaterThan(0.02);
    expect(inked / total).toBeGreaterThan(0.05);

    // --scale 1: the SVG's own size.
    const one = run(['export', 'presets/vgg16.convas.json', '--to', 'png', '--out', join(dir, 'one.png'), '--scale', '1']);
    expect(one.status, one.stderr).toBe(0);
    expect(ihdr(new Uint8Array(readFileSync(join(dir, 'one.png'))))).toEqual({ width: svg.width, height: svg.height });
  });

  it('text is rendered with a system font (the same picture without its <text> has far fewer dark pixels)', () => {
    const design = JSON.parse(readFileSync('presets/inception-module.convas.json', 'utf8')) as Design;
    const svg = toSvg(design, analyze(design));
    expect(svg).toContain('<text');
    const withText = darkPixels(renderPng(svg, { scale: 1 }).png).dark;
    const without = darkPixels(renderPng(svg.replace(/<text\b[\s\S]*?<\/text>/g, ''), { scale: 1 }).png).dark;
    expect(withText).toBeGreaterThan(1.5 * without + 1000);
  });

  it('densenet121 (47,000 units tall): the scale shrinks so that no side exceeds 16384 px, and says so', () => {
    const dir = tmp();
    const out = join(dir, 'densenet.png');
    const r = run(['export', 'presets/densenet121.convas.json', '--to', 'png', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/scale reduced to 0\.\d+ so that no side exceeds 16384 px/);
    const bytes = new Uint8Array(readFileSync(out));
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { width, height } = ihdr(bytes);
    expect(width).toBeGreaterThan(0);
    expect(Math.max(width, height)).toBeLessThanOrEqual(MAX_SIDE);
    expect(Math.max(width, height)).toBeGreaterThan(MAX_SIDE - 8); // shrunk just enough, not more
    const design = JSON.parse(readFileSync('presets/densenet121.convas.json', 'utf8')) as Design;
    const svg = svgSize(toSvg(design, analyze(design)));
    expect(width / height).toBeCloseTo(svg.width / svg.height, 2);
    // Not blank, though at a third of a pixel per unit the thin lines come out lighter.
    const { dark, inked, total } = darkPixels(bytes);
    expect(dark / total).toBeGreaterThan(0.005);
    expect(inked / total).toBeGreaterThan(0.05);
  });

  it('fitScale keeps the scale when it fits and otherwise takes the largest that does', () => {
    expect(fitScale(412, 2614, 2)).toBe(2);
    expect(fitScale(8192, 100, 2)).toBe(2);
    const s = fitScale(522, 47054, 2);
    expect(Math.ceil(47054 * s)).toBeLessThanOrEqual(16384);
    expect(Math.ceil(47054 * (s + 1e-5))).toBeGreaterThan(16384);
  });

  it('a design with errors: the PNG is still written, exit 1', () => {
    const dir = tmp();
    const b = new DesignBuilder('broken');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 9 }, 'in', 'big');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(b.design()));
    const r = run(['export', join(dir, 'broken.json'), '--to', 'png', '--out', join(dir, 'broken.png')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("kernel 9×9 is larger than its 8×8 input");
    expect([...readFileSync(join(dir, 'broken.png')).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it.each(['0', '-1', '9', 'abc', '2x', ''])('--scale %j is a usage error (exit 2, nothing written)', (scale) => {
    const dir = tmp();
    const r = run(['export', 'presets/vgg16.convas.json', '--to', 'png', '--out', join(dir, 'x.png'), `--scale=${scale}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--scale must be a number above 0 and at most 8 (got "${scale}")`);
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
  });

  it('--scale with another format is a usage error', () => {
    const r = run(['export', 'presets/vgg16.convas.json', '--to', 'svg', '--out', join(tmp(), 'x.svg'), '--scale', '2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--scale applies to --to png only');
  });

  it('without resvg\'s platform binary: one line naming the package and suggesting --to svg, exit 2', () => {
    const dir = tmp();
    // Makes every @resvg/resvg-js-<platform> package unresolvable, as on a platform with no prebuilt binary.
    const preload = join(dir, 'no-resvg-binary.cjs');
    writeFileSync(preload, `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@resvg/resvg-js-')) throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};
`);
    const r = spawnSync('node', ['--require', preload, 'bin/convas.js', 'export', 'presets/vgg16.convas.json', '--to', 'png', '--out', join(dir, 'x.png')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^convas: PNG export needs @resvg\/resvg-js, which cannot load on /);
    expect(lines[0]).toContain('--to svg');
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
    // The other commands do not load resvg at all.
    const svg = spawnSync('node', ['--require', preload, 'bin/convas.js', 'export', 'presets/vgg16.convas.json', '--to', 'svg', '--out', join(dir, 'x.svg')], { encoding: 'utf8' });
    expect(svg.status, svg.stderr).toBe(0);
  });
});
