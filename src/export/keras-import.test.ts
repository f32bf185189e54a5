import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../core/index.ts';
import { compileDesign } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { everyKind } from './every-kind.ts';
import { ImportError, importKeras } from './keras-import.ts';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

const outputShapes = (d: Design) => {
  const a = analyze(d);
  const hasOut = new Set(d.edges.map((e) => e.source));
  return d.nodes.filter((n) => !hasOut.has(n.id)).map((n) => a.nodes.find((x) => x.id === n.id)!.outputShape);
};

/** Presets whose compiled tfjs model uses only standard Keras layers (+ Convas's LRN and symmetric −∞ pool padding);
 * the big ones are left out for time, AlexNet-2012 (grouped conv → channel slices) and GoogLeNet (ceil-mode pools)
 * compile to layers the importer refuses by name. */
const ROUND_TRIP = readdirSync('presets').filter((f) => f.endsWith('.convas.json') && !/vgg16|alexnet|resnet50\.|densenet|googlenet/.test(f));

describe('Keras/tfjs topology import', () => {
  for (const f of ROUND_TRIP) {
    it(`round trip: ${f} → tfjs model.toJSON() → design: same totals and output shapes`, () => {
      const design = JSON.parse(readFileSync(join('presets', f), 'utf8')) as Design;
      const c = compileDesign(design, { seed: 1 });
      const topo = c.model.toJSON(null, false);
      c.model.dispose();
      const back = importKeras(topo);
      const a = analyze(back);
      expect(a.errors).toEqual([]);
      const { params, trainableParams, nonTrainableParams, macs } = c.analysis.totals;
      expect(a.totals).toEqual({ params, trainableParams, nonTrainableParams, macs });
      expect(outputShapes(back)).toEqual(outputShapes(design));
      // every original node that kept its layer has the same shape
      for (const n of c.analysis.nodes) {
        const m = a.nodes.find((x) => x.id === n.id);
        if (m) expect(m.outputShape, n.id).toEqual(n.outputShape);
      }
    });
  }

  it('reads a tfjs model.json ({ modelTopology }) and a Keras Sequential', () => {
    const seq = {
      modelTopology: { class_name: 'Sequential', config: { name: 'seq', layers: [
        { class_name: 'Conv2D', config: { name: 'c1', batch_input_shape: [null, 28, 28, 1], filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', use_bias: true, data_format: 'channels_last', dilation_rate: [1, 1] } },
        { class_name: 'MaxPooling2D', config: { name: 'p1', pool_size: [2, 2], strides: [2, 2], padding: 'valid' } },
        { class_name: 'Flatten', config: { name: 'f' } },
        { class_name: 'Dense', config: { name: 'fc', units: 10, activation: 'softmax', use_bias: true } },
      ] } },
    };
    const d = importKeras(seq);
    const a = analyze(d);
    expect(a.valid).toBe(true);
    expect(a.totals.params).toBe(8 * 9 + 8 + 14 * 14 * 8 * 10 + 10);
    expect(d.nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'maxPool2d', 'flatten', 'dense']);
  });

  it('names the layer Convas does not know', () => {
    const topo = { class_name: 'Sequential', config: { layers: [
      { class_name: 'Conv2D', config: { name: 'c1', batch_input_shape: [null, 8, 8, 3], filters: 4, kernel_size: 3 } },
      { class_name: 'LSTM', config: { name: 'rnn', units: 4 } },
    ] } };
    expect(() => importKeras(topo)).toThrow(ImportError);
    expect(() => importKeras(topo)).toThrow("layer 'rnn': LSTM is not a layer Convas knows");
    expect(() => importKeras({ hello: 1 })).toThrow(/not a Keras\/tfjs model topology/);
  });

  it('every-kind design: the grouped conv (channel slices) is refused by name', () => {
    const c = compileDesign(everyKind(), { seed: 1 });
    const topo = c.model.toJSON(null, false);
    c.model.dispose();
    expect(() => importKeras(topo)).toThrow(/ConvasChannelSlice is not a layer Convas knows/);
  });
});
