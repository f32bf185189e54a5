import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, tf } from './index.ts';
import { loadWeightsInto } from './load-weights.ts';
import { buildModelJson, joinWeightData, readWeightFiles, weightByteLength, weightsMismatch, WeightsFileError, type WeightsManifestEntry } from './model-json.ts';
import { setupNodeBackend } from './node-backend.ts';
import { serializeLayersModel } from './serialize.ts';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

/** A small classifier: conv + batch norm + pool + dense softmax. */
function small(filters = 4, units = 10, name = 'small'): Design {
  const b = new DesignBuilder(name);
  b.input([8, 8, 3]);
  b.add('conv2d', { filters, kernelSize: 3, padding: 'same', activation: 'relu' }, b.last, 'conv1');
  b.add('batchNorm', {}, b.last, 'bn1');
  b.add('globalAvgPool', {}, b.last, 'gap');
  b.add('dense', { units, activation: 'softmax' }, b.last, 'fc');
  return b.design();
}

const enc = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
const spec = (name: string, shape: number[], dtype: WeightsManifestEntry['dtype'] = 'float32'): WeightsManifestEntry => ({ name, shape, dtype });

describe('model.json building', () => {
  it('writes the layers-model layout with one weights file', () => {
    const weightSpecs = [spec('c/kernel', [3, 3, 3, 4]), spec('c/bias', [4])];
    const json = buildModelJson({ modelTopology: { class_name: 'Functional' }, weightSpecs, generatedBy: 'TensorFlow.js tfjs-layers v4' }, 'm.weights.bin');
    expect(json).toEqual({
      format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4', convertedBy: 'convas',
      modelTopology: { class_name: 'Functional' }, weightsManifest: [{ paths: ['m.weights.bin'], weights: weightSpecs }],
    });
  });

  it('joins several weight buffers in order', () => {
    const a = new Uint8Array([1, 2]).buffer;
    const b = new Uint8Array([3]).buffer;
    expect([...new Uint8Array(joinWeightData([a, b]))]).toEqual([1, 2, 3]);
    expect(joinWeightData(a)).toBe(a);
    expect(joinWeightData(undefined).byteLength).toBe(0);
  });

  it('counts bytes per dtype, quantized weights at their stored width', () => {
    expect(weightByteLength(spec('w', [2, 3]))).toBe(24);
    expect(weightByteLength({ ...spec('w', [2, 3]), quantization: { dtype: 'uint8', scale: 1, min: 0 } })).toBe(6);
    expect(weightByteLength({ ...spec('w', [4]), quantization: { dtype: 'float16' } })).toBe(8);
    expect(weightByteLength(spec('w', [4], 'string'))).toBeNaN();
  });

  it('serializes a compiled model exactly as save.ts did: same JSON layout, data in manifest order', async () => {
    const c = compileDesign(small(), { seed: 3 });
    const { modelJson, weights } = await serializeLayersModel(c.model, 'x.bin');
    const json = JSON.parse(modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBe('convas');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['x.bin']);
    const names = json.weightsManifest[0].weights.map((w: WeightsManifestEntry) => w.name).sort();
    expect(names).toEqual(['bn1/beta', 'bn1/gamma', 'bn1/moving_mean', 'bn1/moving_variance', 'conv1/bias', 'conv1/kernel', 'fc/bias', 'fc/kernel']);
    expect(weights.byteLength).toBe(c.analysis.totals.params * 4);
    c.model.dispose();
  });
});

describe('reading picked weight files', () => {
  const manifest = (paths: string[], weights: WeightsManifestEntry[]) => enc(JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths, weights }] }));

  it('reads model.json and its shards by file name, in manifest order', () => {
    const specs = [spec('a/kernel', [2]), spec('a/bias', [1])];
    const r = readWeightFiles([
      { name: 'b.bin', bytes: new Float32Array([3]).buffer },
      { name: 'model.json', bytes: manifest(['./shards/a.bin', 'b.bin'], specs) },
      { name: 'a.bin', bytes: new Float32Array([1, 2]).buffer },
    ]);
    expect(r.modelFile).toBe('model.json');
    expect(r.weightFiles).toEqual(['a.bin', 'b.bin']);
    expect(r.specs).toEqual(specs);
    expect([...new Float32Array(r.data)]).toEqual([1, 2, 3]);
  });

  it('refuses with a message: no model.json, a design, no manifest, a missing shard, the wrong size', () => {
    const err = (files: { name: string; bytes: ArrayBuffer }[]) => {
      try {
        readWeightFiles(files);
      } catch (e) {
        expect(e).toBeInstanceOf(WeightsFileError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    const bin = { name: 'weights.bin', bytes: new Float32Array(3).buffer };
    expect(err([bin])).toBe('pick the model.json together with its weight files (got weights.bin)');
    expect(err([{ name: 'd.json', bytes: enc('{"format":"convas.design","version":1}') }])).toContain('is a Convas design, which holds no weights');
    expect(err([{ name: 'k.json', bytes: enc('{"class_name":"Sequential"}') }])).toBe('k.json has no weightsManifest: it is not a tfjs model.json with weights');
    expect(err([{ name: 'm.json', bytes: enc('{oops') }])).toMatch(/^m\.json is not valid JSON/);
    expect(err([{ name: 'model.json', bytes: manifest(['weights.bin'], [spec('a/kernel', [3])]) }]))
      .toBe('model.json keeps its weights in weights.bin; pick that file too (missing: weights.bin)');
    expect(err([{ name: 'model.json', bytes: manifest(['weights.bin'], [spec('a/kernel', [4])]) }, bin]))
      .toBe("weights.bin holds 12 bytes, but model.json's manifest describes 16: the files do not belong together");
  });
});

describe('matching loaded weights to the compiled model', () => {
  const model = [{ name: 'conv1/kernel', shape: [3, 3, 3, 4] }, { name: 'conv1/bias', shape: [4] }, { name: 'fc/kernel', shape: [4, 10] }, { name: 'fc/bias', shape: [10] }];

  it('fits when every name and shape agrees (order does not matter)', () => {
    expect(weightsMismatch(model, [...model].reverse(), 'model.json')).toBeNull();
  });

  it('names the layer and both shapes for a wrong shape', () => {
    const file = model.map((w) => (w.name === 'conv1/kernel' ? { ...w, shape: [5, 5, 3, 4] } : w));
    expect(weightsMismatch(model, file, 'model.json')).toBe(
      "The weights in model.json do not fit this design: layer 'conv1': kernel is [5, 5, 3, 4] in model.json but [3, 3, 3, 4] in this design.",
    );
  });

  it('names missing and extra layers', () => {
    const file = [...model.slice(0, 2), { name: 'head/kernel', shape: [4, 2] }];
    expect(weightsMismatch(model, file, 'm.json')).toBe(
      "The weights in m.json do not fit this design: layer 'fc': m.json has no kernel [4, 10], bias [10]; m.json has weights for a layer 'head' (kernel [4, 2]) that this design lacks.",
    );
  });

  it('says so when the file is for another model altogether, and counts what it leaves out', () => {
    const file = [{ name: 'a/kernel', shape: [1] }, { name: 'b/kernel', shape: [1] }, { name: 'c/kernel', shape: [1] }];
    const msg = weightsMismatch(model, file, 'model.json', 2)!;
    expect(msg).toMatch(/^The weights in model\.json are for another model: none of its 3 weights has the name of one of this design's 4: /);
    expect(msg).toContain("layer 'conv1': model.json has no kernel [3, 3, 3, 4], bias [4]");
    expect(msg).toMatch(/; and 3 more\.$/);
  });
});

describe('loading weights into a compiled model', () => {
  const x = () => tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 5);

  it('a seed-3 model given the seed-7 model\'s saved weights gives the seed-7 outputs exactly', async () => {
    const seven = compileDesign(small(), { seed: 7 });
    const { modelJson, weights } = await serializeLayersModel(seven.model, 'weights.bin');
    const json = JSON.parse(modelJson);
    const three = compileDesign(small(), { seed: 3 });
    const input = x();
    const want = (seven.model.predict(input) as tf.Tensor).dataSync();
    expect([...(three.model.predict(input) as tf.Tensor).dataSync()]).not.toEqual([...want]);
    loadWeightsInto(three.model, { specs: json.weightsManifest[0].weights, data: weights, fileName: 'model.json' });
    expect([...(three.model.predict(input) as tf.Tensor).dataSync()]).toEqual([...want]);
    seven.model.dispose();
    three.model.dispose();
  });

  it('a model for another design is refused with the layer and the shapes; the model keeps its weights', async () => {
    const other = compileDesign(small(8), { seed: 7 });
    const { modelJson, weights } = await serializeLayersModel(other.model, 'weights.bin');
    const target = compileDesign(small(4), { seed: 3 });
    const input = x();
    const before = [...(target.model.predict(input) as tf.Tensor).dataSync()];
    const specs = JSON.parse(modelJson).weightsManifest[0].weights;
    expect(() => loadWeightsInto(target.model, { specs, data: weights, fileName: 'model.json' })).toThrow(
      "The weights in model.json do not fit this design: layer 'conv1': kernel is [3, 3, 3, 8] in model.json but [3, 3, 3, 4] in this design; layer 'conv1': bias is [8] in model.json but [4] in this design; layer 'bn1': gamma is [8] in model.json but [4] in this design; layer 'bn1': beta is [8] in model.json but [4] in this design; and 3 more.",
    );
    expect([...(target.model.predict(input) as tf.Tensor).dataSync()]).toEqual(before);
    other.model.dispose();
    target.model.dispose();
  });

  it('a preset saved by the CLI layout loads back into the same preset', async () => {
    const design = JSON.parse(readFileSync('presets/conv-5x5-vs-3x3.convas.json', 'utf8')) as Design;
    const a = compileDesign(design, { seed: 7 });
    const { modelJson, weights } = await serializeLayersModel(a.model, 'weights.bin');
    const b = compileDesign(design, { seed: 1 });
    const r = readWeightFiles([{ name: 'model.json', bytes: enc(modelJson) }, { name: 'weights.bin', bytes: weights }]);
    loadWeightsInto(b.model, { specs: r.specs, data: r.data, fileName: r.modelFile });
    const wa = a.model.getWeights().map((t) => [...t.dataSync()]);
    const wb = b.model.getWeights().map((t) => [...t.dataSync()]);
    expect(wb).toEqual(wa);
    a.model.dispose();
    b.model.dispose();
  });
});
