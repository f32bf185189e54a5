import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, inputsInPortOrder, outputNodes, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, layerName, tf } from '../compile/index.ts';
import { loadWeightsInto } from '../compile/load-weights.ts';
import type { ModelJson } from '../compile/model-json.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { serializeLayersModel } from '../compile/serialize.ts';
import { everyKind } from '../../../test/fixtures/every-kind.ts';
import { KERAS_RULES } from '../../kinds/keras.ts';
import { KIND_NAMES } from '../../engine/registry.ts';
import { ImportError, importKeras, kerasClassLookup } from './keras-import.ts';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

/** What `convas export --to tfjs` writes (src/drivers/compile/save.ts writes the same text to model.json), and its weights. */
async function exportTfjs(design: Design, seed = 1): Promise<{ json: ModelJson; weights: ArrayBuffer }> {
  const c = compileDesign(design, { seed });
  try {
    const { modelJson, weights } = await serializeLayersModel(c.model, 'weights.bin');
    return { json: JSON.parse(modelJson) as ModelJson, weights };
  } finally {
    c.model.dispose();
  }
}

/** The numbers a design must keep through export and import: totals, and per node shape, counts, receptive field and input order. */
function expectSameNumbers(back: Design, design: Design) {
  const a = analyze(design);
  const b = analyze(back);
  expect(b.errors).toEqual([]);
  expect(b.totals).toEqual(a.totals);
  // tfjs layer names are the node ids made tfjs-safe (':' → '_'); the importer keeps them as ids.
  const idOf = new Map(design.nodes.map((n) => [n.id, layerName(n.id)]));
  expect(new Set(idOf.values()).size).toBe(design.nodes.length);
  expect(b.nodes.map((n) => n.id).sort()).toEqual([...idOf.values()].sort());
  const byId = new Map(b.nodes.map((n) => [n.id, n]));
  const backInputs = inputsInPortOrder(back);
  const inputs = inputsInPortOrder(design);
  for (const n of a.nodes) {
    const m = byId.get(idOf.get(n.id)!)!;
    const pick = (x: typeof n) => ({
      outputShape: x.outputShape, params: x.params, trainableParams: x.trainableParams,
      nonTrainableParams: x.nonTrainableParams, macs: x.macs, receptiveField: x.receptiveField,
    });
    expect(pick(m), n.id).toEqual(pick(n));
    const want = (inputs.get(n.id) ?? []).map((e) => idOf.get(e.source));
    expect((backInputs.get(m.id) ?? []).map((e) => e.source), `inputs of ${n.id}`).toEqual(want);
  }
  // every edge into a node with several inputs names its port
  const count = new Map<string, number>();
  for (const e of back.edges) count.set(e.target, (count.get(e.target) ?? 0) + 1);
  for (const e of back.edges) if (count.get(e.target)! > 1) expect(e.targetPort, `edge ${e.source} → ${e.target}`).toBeTypeOf('number');
}

/**
 * Runs a design on one seeded image with the weights of a tfjs export; returns every output, flattened, in the order
 * of their node ids (an imported design may list its outputs in tfjs's order, not the original's).
 */
function runWith(design: Design, json: ModelJson, weights: ArrayBuffer): number[][] {
  const c = compileDesign(design, { seed: 999 }); // other seed: the numbers must come from the loaded weights
  try {
    loadWeightsInto(c.model, { specs: json.weightsManifest[0].weights, data: weights, fileName: 'model.json' });
    return tf.tidy(() => {
      const x = tf.randomUniform([1, ...(c.model.inputs[0].shape.slice(1) as number[])], -1, 1, 'float32', 5);
      const y = c.model.predict(x);
      const ids = outputNodes(design).map((n) => n.id);
      const values = (Array.isArray(y) ? y : [y]).map((t, i) => [ids[i], Array.from(t.dataSync())] as const);
      return values.sort((p, q) => (p[0] < q[0] ? -1 : 1)).map(([, v]) => v);
    });
  } finally {
    c.model.dispose();
  }
}

const PRESETS = readdirSync('presets').filter((f) => f.endsWith('.convas.json')).sort();

describe('Convas reads back every tfjs model it writes', () => {
  for (const f of PRESETS) {
    it(`${f}: export --to tfjs → import gives the same totals, and per node shape, params, MACs, receptive field and input order`, async () => {
      const design = JSON.parse(readFileSync(join('presets', f), 'utf8')) as Design;
      const { json } = await exportTfjs(design);
      expectSameNumbers(importKeras(json), design);
    });
  }

  it('every-kind fixture (grouped convs, ceil-mode max and average pools, explicit padding, LRN, three-input add)', async () => {
    const design = everyKind();
    const { json } = await exportTfjs(design);
    const back = importKeras(json);
    expectSameNumbers(back, design);
    const node = (id: string) => back.nodes.find((n) => n.id === id)!;
    expect(node('grp')).toMatchObject({ kind: 'conv2d', params: { filters: 8, groups: 2, padding: 1, activation: 'elu' } });
    expect(node('mp').params).toMatchObject({ padding: 'valid', ceilMode: true });
    expect(node('apc').params).toMatchObject({ padding: 'valid', ceilMode: true });
  });

  it('every-kind fixture: the imported design with the exported weights (loaded by name) gives the same outputs', async () => {
    const design = everyKind();
    const { json, weights } = await exportTfjs(design, 3);
    const want = runWith(design, json, weights);
    const got = runWith(importKeras(json), json, weights);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => g.forEach((v, j) => expect(Math.abs(v - want[i][j])).toBeLessThan(1e-5)));
  });

  it('concat(b, a) and add(x, x) come back in that order, with a port on every merge edge, and the same outputs (camelCase ids kept)', async () => {
    const b = new DesignBuilder('order');
    b.input([6, 6, 2]);
    b.add('conv2d', { filters: 3, kernelSize: 1 }, 'in', 'a');
    b.add('conv2d', { filters: 5, kernelSize: 1 }, 'in', 'b');
    b.add('concat', {}, [], 'cat');
    // a is first in the file, b is input 0
    b.edges.push({ id: 'ea', source: 'a', target: 'cat', targetPort: 1 }, { id: 'eb', source: 'b', target: 'cat', targetPort: 0 });
    b.add('conv2d', { filters: 8, kernelSize: 1 }, 'cat', 'mixConv');
    b.add('add', {}, ['mixConv', 'mixConv'], 'twice');
    const design = b.design();
    expect(inputsInPortOrder(design).get('cat')!.map((e) => e.source)).toEqual(['b', 'a']);
    const { json, weights } = await exportTfjs(design, 2);
    const back = importKeras(json);
    expect(back.edges.filter((e) => e.target === 'cat').map((e) => [e.source, e.targetPort]).sort()).toEqual([['a', 1], ['b', 0]]);
    expect(back.edges.filter((e) => e.target === 'twice').map((e) => [e.source, e.targetPort])).toEqual([['mixConv', 0], ['mixConv', 1]]);
    expectSameNumbers(back, design);
    const want = runWith(design, json, weights);
    const got = runWith(back, json, weights);
    got.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
    expect(analyze(back).nodes.find((n) => n.id === 'cat')!.outputShape).toEqual([6, 6, 8]);
  });

  it("dilated strided convs (run by tfjs at stride 1, then subsampled) and uneven 'same' padding come back as one conv each, separable convs too", async () => {
    const b = new DesignBuilder('dilated');
    b.input([11, 9, 4]);
    b.add('conv2d', { filters: 4, kernelSize: 3, dilation: 2, strides: 2, padding: 'same', activation: 'relu' }, 'in', 'c');
    b.add('depthwiseConv2d', { kernelSize: [2, 3], dilation: [1, 2], strides: [2, 1] }, 'c', 'dw');
    b.add('conv2d', { filters: 4, groups: 2, kernelSize: 2, dilation: 2, strides: [1, 2], padding: 'same' }, 'dw', 'g');
    b.add('conv2d', { filters: 2, kernelSize: 2, strides: 2, padding: 'same' }, 'g', 'even');
    b.add('separableConv2d', { filters: 3, kernelSize: 3, dilation: 2, strides: 2, depthMultiplier: 2, padding: 'same' }, 'dw', 'sepDil');
    b.add('separableConv2d', { filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' }, 'dw', 'sepEven');
    const design = b.design();
    expect(analyze(design).valid).toBe(true);
    const { json, weights } = await exportTfjs(design, 3);
    const layers = (json.modelTopology as { config: { layers: { name: string; class_name: string }[] } }).config.layers;
    const names = layers.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(['c__stride', 'dw__stride', 'g__stride', 'sepDil__stride', 'sepEven__pad']));
    expect(layers.filter((l) => l.class_name === 'SeparableConv2D').map((l) => l.name)).toEqual(['sepDil', 'sepEven']);
    const back = importKeras(json);
    // every helper folded back: the same nodes (tfjs lists them in its own topological order)
    expect(back.nodes.map((n) => n.id).sort()).toEqual(design.nodes.map((n) => n.id).sort());
    expect(back.nodes.find((n) => n.id === 'c')!.params).toMatchObject({ strides: 2, dilation: 2 });
    expect(back.nodes.find((n) => n.id === 'sepDil')!.params).toMatchObject({ strides: 2, dilation: 2, depthMultiplier: 2 });
    expect(back.nodes.find((n) => n.id === 'sepEven')!.params).toMatchObject({ padding: 'same', strides: 2 }); // 'same' pads 2 and 2 here: written back as padding 2
    expectSameNumbers(back, design);
    const want = runWith(design, json, weights);
    const got = runWith(back, json, weights);
    got.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
  });

  it('random pools and grouped convs (padding, ceil mode, strides, groups, merge order): same numbers and outputs', async () => {
    const side = fc.integer({ min: 1, max: 3 });
    const pool = fc.record({ k: side, s: side, padded: fc.boolean(), ceil: fc.boolean(), same: fc.boolean() });
    const groupedConv = fc.record({
      k: side, s: fc.integer({ min: 1, max: 2 }), p: fc.oneof(fc.constant<'same'>('same'), fc.constant<'valid'>('valid'), fc.integer({ min: 1, max: 2 })),
      groups: fc.constantFrom(1, 2, 3, 6), per: fc.integer({ min: 1, max: 2 }), act: fc.constantFrom('linear', 'relu', 'softmax'),
      d: fc.integer({ min: 1, max: 2 }),
    });
    const cases = fc.record({ h: fc.integer({ min: 3, max: 11 }), w: fc.integer({ min: 3, max: 11 }), conv: groupedConv, avg: pool, max: pool, swap: fc.boolean() });
    let checked = 0;
    await fc.assert(fc.asyncProperty(cases, async ({ h, w, conv, avg, max, swap }) => {
      const b = new DesignBuilder('random');
      b.input([h, w, 6]);
      b.add('conv2d', { filters: conv.groups * conv.per, kernelSize: conv.k, strides: conv.s, dilation: conv.d, padding: conv.p, groups: conv.groups, activation: conv.act }, 'in', 'g');
      // explicit pool padding at most k/2 (PyTorch's rule, docs/design-format.md#pool-padding)
      const poolParams = (q: typeof avg) => ({ poolSize: q.k, strides: q.s, padding: q.same ? 'same' : q.padded ? Math.floor(q.k / 2) : 0, ceilMode: q.ceil });
      b.add('avgPool2d', poolParams(avg), 'g', 'ap');
      b.add('maxPool2d', poolParams(max), 'ap', 'mp');
      b.add('conv2d', { filters: 3, kernelSize: 1 }, 'mp', 'side');
      b.add('concat', {}, [], 'cat');
      b.edges.push({ id: 'e_mp', source: 'mp', target: 'cat', targetPort: swap ? 1 : 0 }, { id: 'e_side', source: 'side', target: 'cat', targetPort: swap ? 0 : 1 });
      b.add('conv2d', { filters: 2, kernelSize: 1 }, 'cat', 'head');
      const design = b.design();
      if (!analyze(design).valid) return; // a window that does not fit
      checked++;
      const { json, weights } = await exportTfjs(design, 4);
      const back = importKeras(json);
      expectSameNumbers(back, design);
      const want = runWith(design, json, weights);
      const got = runWith(back, json, weights);
      got.forEach((g, i) => g.forEach((v, j) => expect(Math.abs(v - want[i][j])).toBeLessThan(1e-5)));
    }), { numRuns: 80, seed: 11 });
    expect(checked).toBeGreaterThan(40);
  });

  it('a tampered export is refused by name: slices that miss channels, count-scale divisors that are not the pool\'s', async () => {
    const { json } = await exportTfjs(everyKind());
    const text = JSON.stringify(json);
    const slices = JSON.parse(text) as { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
    const s1 = slices.modelTopology.config.layers.find((l) => l.config.name === 'grp__slice1')!;
    s1.config.begin = 3;
    expect(() => importKeras(slices)).toThrow("layer 'grp__concat': a Concatenate of ConvasChannelSlice convolutions that is not a grouped convolution Convas wrote (slice 'grp__slice1' is channels 3..6, not group 1's 4..7)");
    const scaled = JSON.parse(text) as typeof slices;
    const count = scaled.modelTopology.config.layers.find((l) => l.class_name === 'ConvasPoolCountScale')!;
    (count.config.rows as number[])[0] = 3;
    expect(() => importKeras(scaled)).toThrow(/^layer 'apc__count': fields 'rows'\/'cols' .* are not the divisors of ceil-mode pool 'apc'/);
  });
});

// ---- Keras files written by hand from Keras's documented serialization formats ----

const conv = (name: string, filters: number, extra: Record<string, unknown> = {}) => ({
  filters, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1],
  groups: 1, activation: 'relu', use_bias: true, name, ...extra,
});

/** Keras 2 / tfjs functional: inbound_nodes are lists of [layer, node index, tensor index, kwargs]. */
function keras2Functional() {
  const ref = (n: string) => [n, 0, 0, {}];
  return {
    class_name: 'Functional',
    config: {
      name: 'k2',
      layers: [
        { class_name: 'InputLayer', name: 'img', config: { batch_input_shape: [null, 8, 8, 3], dtype: 'float32', name: 'img' }, inbound_nodes: [] },
        { class_name: 'Conv2D', name: 'a', config: conv('a', 4), inbound_nodes: [[ref('img')]] },
        { class_name: 'Conv2D', name: 'b', config: conv('b', 6), inbound_nodes: [[ref('img')]] },
        { class_name: 'Concatenate', name: 'cat', config: { name: 'cat', axis: -1 }, inbound_nodes: [[ref('b'), ref('a')]] },
        { class_name: 'BatchNormalization', name: 'bn', config: { name: 'bn', axis: [3], epsilon: 0.001, momentum: 0.99, center: true, scale: true }, inbound_nodes: [[ref('cat')]] },
        { class_name: 'GlobalAveragePooling2D', name: 'gap', config: { name: 'gap', data_format: 'channels_last' }, inbound_nodes: [[ref('bn')]] },
        { class_name: 'Dense', name: 'fc', config: { name: 'fc', units: 5, activation: 'softmax', use_bias: true }, inbound_nodes: [[ref('gap')]] },
      ],
      input_layers: [['img', 0, 0]],
      output_layers: [['fc', 0, 0]],
    },
  };
}

/** Keras 3 `model.to_json()`: inbound_nodes are `{ args, kwargs }` with `__keras_tensor__` objects; a merge's args hold one list. */
function keras3Functional() {
  const t = (n: string, shape: (number | null)[]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [n, 0, 0] } });
  const call = (...args: unknown[]) => [{ args, kwargs: {} }];
  const layer = (class_name: string, config: Record<string, unknown>, inbound: unknown[]) => ({
    module: 'keras.layers', class_name, config, registered_name: null, name: config.name, inbound_nodes: inbound,
  });
  return {
    module: 'keras', class_name: 'Functional', registered_name: 'Functional',
    config: {
      name: 'k3', trainable: true,
      layers: [
        layer('InputLayer', { batch_shape: [null, 8, 8, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, []),
        layer('Conv2D', conv('a', 4, { activation: 'linear' }), call(t('input_layer', [null, 8, 8, 3]))),
        layer('Conv2D', conv('b', 6), call(t('input_layer', [null, 8, 8, 3]))),
        layer('Concatenate', { name: 'cat', axis: -1 }, call([t('b', [null, 8, 8, 6]), t('a', [null, 8, 8, 4])])),
        layer('Conv2D', conv('c', 10, { kernel_size: [1, 1] }), call(t('cat', [null, 8, 8, 10]))),
        layer('Add', { name: 'sum' }, call([t('c', [null, 8, 8, 10]), t('cat', [null, 8, 8, 10])])),
        layer('BatchNormalization', { name: 'bn', axis: -1, epsilon: 0.001, momentum: 0.99, center: true, scale: true }, call(t('sum', [null, 8, 8, 10]))),
        layer('Flatten', { name: 'flat', data_format: 'channels_last' }, call(t('bn', [null, 8, 8, 10]))),
        layer('Dense', { name: 'out', units: 3, activation: 'linear', use_bias: true }, call(t('flat', [null, 640]))),
      ],
      input_layers: [['input_layer', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  };
}

const sources = (d: Design, id: string) => d.edges.filter((e) => e.target === id).map((e) => [e.source, e.targetPort]);

describe('Keras/tfjs topology import', () => {
  it('Keras 2 functional: the concatenation keeps Keras\'s inbound order with a port on every edge; counts by hand', () => {
    const d = importKeras(keras2Functional());
    expect(sources(d, 'cat')).toEqual([['b', 0], ['a', 1]]);
    expect(inputsInPortOrder(d).get('cat')!.map((e) => e.source)).toEqual(['b', 'a']);
    const a = analyze(d);
    expect(a.errors).toEqual([]);
    // a: 3·3·3·4 + 4; b: 3·3·3·6 + 6; bn: 4·10; fc: 10·5 + 5
    expect(a.totals.params).toBe(112 + 168 + 40 + 55);
    expect(a.totals.nonTrainableParams).toBe(20);
  });

  it("Keras 2 SeparableConv2D as Xception's block2_sepconv1 writes it: 8,768 params, as its summary() reports", () => {
    const init = { class_name: 'GlorotUniform', config: { seed: null } };
    const d = importKeras({ class_name: 'Functional', config: { name: 'xception_block2', layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 147, 147, 64], dtype: 'float32', sparse: false, ragged: false, name: 'block1_conv2_act' }, name: 'block1_conv2_act', inbound_nodes: [] },
      { class_name: 'SeparableConv2D', name: 'block2_sepconv1', inbound_nodes: [[['block1_conv2_act', 0, 0, {}]]], config: {
        name: 'block2_sepconv1', trainable: true, dtype: 'float32', filters: 128, kernel_size: [3, 3], strides: [1, 1], padding: 'same',
        data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: false,
        bias_initializer: { class_name: 'Zeros', config: {} }, bias_regularizer: null, activity_regularizer: null, bias_constraint: null,
        depth_multiplier: 1, depthwise_initializer: init, pointwise_initializer: init, depthwise_regularizer: null,
        pointwise_regularizer: null, depthwise_constraint: null, pointwise_constraint: null,
      } },
    ], input_layers: [['block1_conv2_act', 0, 0]], output_layers: [['block2_sepconv1', 0, 0]] } });
    const sep = d.nodes.find((n) => n.id === 'block2_sepconv1')!;
    expect(sep.kind).toBe('separableConv2d');
    expect(sep.params).toMatchObject({ filters: 128, kernelSize: 3, padding: 'same', depthMultiplier: 1, useBias: false });
    const a = analyze(d);
    expect(a.errors).toEqual([]);
    expect(a.nodes.find((n) => n.id === 'block2_sepconv1')).toMatchObject({ outputShape: [147, 147, 128], params: 8_768 });
  });

  it('Keras 3 to_json() functional: { args, kwargs } with keras_history, merges in inbound order', () => {
    const d = importKeras(keras3Functional());
    expect(d.name).toBe('k3');
    expect(sources(d, 'cat')).toEqual([['b', 0], ['a', 1]]);
    expect(sources(d, 'sum')).toEqual([['c', 0], ['cat', 1]]);
    expect(d.nodes.find((n) => n.id === 'input_layer')!.params).toEqual({ shape: [8, 8, 3] });
    const a = analyze(d);
    expect(a.errors).toEqual([]);
    // a: 3·3·3·4 + 4; b: 3·3·3·6 + 6; c: 10·10 + 10; bn: 4·10; out: 640·3 + 3
    expect(a.totals.params).toBe(112 + 168 + 110 + 40 + 1923);
    expect(a.nodes.find((n) => n.id === 'sum')!.outputShape).toEqual([8, 8, 10]);
  });

  it('Keras 3 Sequential (its InputLayer is in the layer list)', () => {
    const d = importKeras({ module: 'keras', class_name: 'Sequential', config: { name: 's3', layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
      { module: 'keras.layers', class_name: 'Conv2D', config: conv('c1', 8, { padding: 'valid' }), registered_name: null },
      { module: 'keras.layers', class_name: 'Flatten', config: { name: 'flat', data_format: 'channels_last' }, registered_name: null },
    ] } });
    expect(d.nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'flatten']);
    expect(analyze(d).nodes.at(-1)!.outputShape).toEqual([26 * 26 * 8]);
  });

  it('reads a tfjs model.json ({ modelTopology }) and a Keras 2 Sequential', () => {
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
});

describe('BatchNormalization over another axis than the channels is refused', () => {
  const withBn = (axis: unknown, flat = false) => {
    const k = keras2Functional();
    const bn = k.config.layers.find((l) => l.name === 'bn')!;
    (bn.config as Record<string, unknown>).axis = axis;
    if (flat) {
      // move the batch norm after the global pool, on a flat [batch, 10] tensor
      k.config.layers.find((l) => l.name === 'gap')!.inbound_nodes = [[['cat', 0, 0, {}]]];
      bn.inbound_nodes = [[['gap', 0, 0, {}]]];
      k.config.layers.find((l) => l.name === 'fc')!.inbound_nodes = [[['bn', 0, 0, {}]]];
      const [bnLayer] = k.config.layers.splice(k.config.layers.indexOf(bn), 1);
      k.config.layers.splice(k.config.layers.findIndex((l) => l.name === 'fc'), 0, bnLayer);
    }
    return k;
  };

  it('axis 1 on a channels-last map', () => {
    expect(() => importKeras(withBn(1))).toThrow("layer 'bn': field 'axis': batch norm over axis 1 of a [batch, 8, 8, 10] input, which is not the channels axis (Convas uses the last axis: 3 or -1)");
    expect(() => importKeras(withBn([2]))).toThrow("layer 'bn': field 'axis': batch norm over axis 2 of a [batch, 8, 8, 10] input");
  });

  it('axes [1, 2]', () => {
    expect(() => importKeras(withBn([1, 2]))).toThrow("layer 'bn': field 'axis': batch norm over axes [1,2] (Convas normalizes the channels, the last axis only)");
  });

  it('the channels axis is accepted as -1, 3 or [3] on a map, and as 1 on a flat vector', () => {
    for (const axis of [-1, 3, [3], [-1]]) expect(analyze(importKeras(withBn(axis))).errors).toEqual([]);
    const flat = importKeras(withBn(1, true));
    expect(analyze(flat).errors).toEqual([]);
    expect(analyze(flat).nodes.find((n) => n.id === 'bn')!.params).toBe(40);
    expect(() => importKeras(withBn(2, true))).toThrow("layer 'bn': field 'axis': batch norm over axis 2 of a [batch, 10] input, which is not the channels axis (Convas uses the last axis: 1 or -1)");
  });
});

describe('a hostile or broken model.json is refused with the layer and the field, never an internal error', () => {
  const expectRefused = (json: unknown, message: string) => {
    let err: unknown;
    try {
      importKeras(json);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toBe(message);
  };
  const seq = (...layers: unknown[]) => ({ class_name: 'Sequential', config: { name: 's', layers } });
  const input = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8, 8, 3] } };

  it('a null layer, a layer without settings', () => {
    expectRefused(seq(input, null), 'layers[1]: expected a layer ({ class_name, config }), got null');
    expectRefused(seq(input, { class_name: 'Flatten', name: 'f', config: null }), "layer 'f': field 'config': expected an object of the layer's settings, got null");
    expectRefused(seq(input, { class_name: 7, config: {} }), "layers[1]: field 'class_name': expected a class name (text), got 7");
  });

  it('a batch_input_shape that is not a list', () => {
    expectRefused(seq({ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: '8x8x3' } }),
      "layer 'in' (InputLayer): field 'batch_input_shape': expected a list like [null, 224, 224, 3], got \"8x8x3\"");
    expectRefused(seq({ class_name: 'Conv2D', config: { ...conv('c', 2), batch_input_shape: 7 } }),
      "layer 'c': field 'batch_input_shape': expected a list like [null, 224, 224, 3], got 7");
  });

  it('a padding layer without padding', () => {
    expectRefused(seq(input, { class_name: 'ZeroPadding2D', config: { name: 'zp' } }), "layer 'zp' (ZeroPadding2D): field 'padding' is missing");
    expectRefused(seq(input, { class_name: 'ConvasConstantPad2d', config: { name: 'neg', value: '-Infinity' } }), "layer 'neg' (ConvasConstantPad2d): field 'padding' is missing");
    expectRefused(seq(input, { class_name: 'ZeroPadding2D', config: { name: 'zp', padding: [[1], [2, 2]] } }),
      "layer 'zp' (ZeroPadding2D): field 'padding': expected an integer, [ph, pw] or [[top, bottom], [left, right]], got [[1],[2,2]]");
  });

  it('deeply nested args (no recursion a file can exhaust)', () => {
    const depth = 200_000;
    const text = `{"class_name":"Functional","config":{"layers":[{"class_name":"InputLayer","config":{"name":"in","batch_shape":[null,4,4,1]},"inbound_nodes":[]},{"class_name":"Flatten","config":{"name":"f"},"inbound_nodes":[{"args":${'['.repeat(depth)}${']'.repeat(depth)},"kwargs":{}}]}]}}`;
    expectRefused(JSON.parse(text), "layer 'f': field 'inbound_nodes.0.args.0': expected a Keras tensor or a list of Keras tensors, got [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...");
    // nesting where Convas reads nothing (an initializer's config, kwargs) is not walked at all
    const deepValue = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const quiet = `{"class_name":"Functional","config":{"layers":[{"class_name":"InputLayer","config":{"name":"in","batch_shape":[null,4,4,1]},"inbound_nodes":[]},{"class_name":"Flatten","config":{"name":"f","extra":${deepValue}},"inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"keras_history":["in",0,0]}}],"kwargs":{"k":${deepValue}}}]}]}}`;
    expect(analyze(importKeras(JSON.parse(quiet))).nodes.at(-1)!.outputShape).toEqual([16]);
  });

  it('activation: 5 is refused, not read as linear', () => {
    expectRefused(seq(input, { class_name: 'Conv2D', config: conv('c', 2, { activation: 5 }) }), "layer 'c' (Conv2D): field 'activation': expected an activation name, got 5");
    expectRefused(seq(input, { class_name: 'Activation', config: { name: 'act', activation: 'gelu_fast' } }),
      "layer 'act': field 'activation': \"gelu_fast\" is not an activation Convas knows (linear, relu, relu6, elu, selu, sigmoid, tanh, softmax, softplus, swish, silu, hard_sigmoid, convas_hard_sigmoid, hard_swish, hard_silu, convas_hard_swish, gelu)");
  });

  it('BN axis: [1, 2]', () => {
    expectRefused(seq(input, { class_name: 'BatchNormalization', config: { name: 'bn', axis: [1, 2] } }),
      "layer 'bn': field 'axis': batch norm over axes [1,2] (Convas normalizes the channels, the last axis only)");
  });

  it('wrong types in other fields and inbound nodes', () => {
    expectRefused(seq(input, { class_name: 'Conv2D', config: conv('c', 2, { kernel_size: 'three' }) }),
      "layer 'c' (Conv2D): field 'kernel_size': expected a positive integer or a list of 1 or 2 of them, got \"three\"");
    expectRefused(seq(input, { class_name: 'Dense', config: { name: 'fc' } }), "layer 'fc' (Dense): field 'units' is missing");
    expectRefused(seq(input, { class_name: 'Conv2D', config: conv('c', 2, { data_format: 'channels_first' }) }),
      "layer 'c' (Conv2D): field 'data_format': \"channels_first\" (Convas is channels-last)");
    const k = keras2Functional();
    k.config.layers[1].inbound_nodes = [[['img', 0]]] as never;
    expectRefused(k, "layer 'a': field 'inbound_nodes.0.0.2' is missing");
    const k3 = keras3Functional();
    (k3.config.layers[1].inbound_nodes[0] as { args: unknown[] }).args = [{ class_name: 'Tensor', config: {} }];
    expectRefused(k3, "layer 'a': field 'inbound_nodes.0.args.0': expected a Keras tensor or a list of Keras tensors, got {\"class_name\":\"Tensor\",\"config\":{}}");
    expectRefused({ class_name: 'Functional', config: { layers: 'all' } }, "Functional: field 'config': expected a config with a list of layers, got {\"layers\":\"all\"}");
  });
});

describe('the class lookup built from the kinds\' Keras rules', () => {
  it('gives each class one kind, and every kind at least one class', () => {
    const lookup = kerasClassLookup(KERAS_RULES);
    expect(new Set([...lookup.values()].map((e) => e.kind))).toEqual(new Set(KIND_NAMES));
    // several classes may read as one kind (Keras's own spellings of it)
    expect(['Activation', 'ReLU', 'Softmax'].map((c) => lookup.get(c)?.kind)).toEqual(['activation', 'activation', 'activation']);
    expect(['Flatten', 'Reshape'].map((c) => lookup.get(c)?.kind)).toEqual(['flatten', 'flatten']);
  });

  it('refuses a class claimed by two kinds, or a kind claiming one of Convas\'s helper layers', () => {
    expect(() => kerasClassLookup({ ...KERAS_RULES, dropout: { classes: { ...KERAS_RULES.dropout.classes, Dense: KERAS_RULES.dropout.classes.Dropout } } }))
      .toThrow('Keras class Dense is claimed by both dense and dropout');
    expect(() => kerasClassLookup({ ...KERAS_RULES, add: { classes: { ConvasPoolCountScale: KERAS_RULES.add.classes.Add } } }))
      .toThrow("Keras class ConvasPoolCountScale is claimed by both Convas's helper layers and add");
  });

  it('does not read a name of Object.prototype as a class or an activation', () => {
    const topo = (cls: string, config: object) => ({ class_name: 'Sequential', config: { layers: [{ class_name: cls, config: { batch_input_shape: [null, 4], ...config } }] } });
    expect(() => importKeras(topo('toString', {}))).toThrow("toString is not a layer Convas knows");
    expect(() => importKeras(topo('Dense', { units: 2, activation: 'constructor' }))).toThrow('"constructor" is not an activation Convas knows');
  });
});
