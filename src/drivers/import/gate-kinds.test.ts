/**
 * Squeeze-and-excitation through every backend (docs/design-format.md#layer-kinds: `multiply`, the global pools' `keepDims`): a gate of
 * a kept-dims average pool and two 1×1 convolutions (relu, sigmoid) multiplied into a conv's map, and a flat gate
 * (max pool → dense sigmoid, a [C] gate, first in port order). tfjs compiles it with the analysed shapes; the
 * PyTorch export (loaded with the same weights), ONNX Runtime and tfjs give what a torch script computes on its
 * own from the state dict (`c * sigmoid(conv(relu(conv(c.mean((2, 3), keepdim=True)))))`); the same script measures
 * the receptive field of the gated map by back-propagation with the gate held constant (docs/receptive-field.md#global-paths) and with it
 * live (every pixel); the tfjs export reloads and reads back through the Keras import; Keras's own SE blocks
 * (MobileNet v3's `keepdims=True`, EfficientNet's `Reshape`) import as the kinds, and reshapes Convas cannot
 * express are refused, naming the layer and field.
 */

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { unitWindow } from '../../engine/receptive-field.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toOnnx } from '../export/onnx.ts';
import { torchStateDict } from '../export/torch-layout.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { runOnnx } from '../../../test/support/onnx-runtime.ts';
import { probeOutputs, torchFolder } from '../../../test/support/torch-fixture.ts';
import { tfjsRoundTrip } from '../../../test/support/tfjs-roundtrip.ts';
import { ImportError, importKeras } from './keras-import.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

const H = 7;
const W = 6;

/** in [7, 6, 3] → conv 3×3 same (c, 8) → SE gate (squeeze keepDims → fc1 1×1 relu 2 → fc2 1×1 sigmoid 8) → m = c · gate; flat gate: c → global max pool → dense sigmoid (g) → m2 = g · c. */
function gated(): Design {
  const b = new DesignBuilder('se gate');
  b.input([H, W, 3]);
  b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'in', 'c');
  b.add('globalAvgPool', { keepDims: true }, 'c', 'squeeze');
  b.add('conv2d', { filters: 2, kernelSize: 1, activation: 'relu' }, 'squeeze', 'fc1');
  b.add('conv2d', { filters: 8, kernelSize: 1, activation: 'sigmoid' }, 'fc1', 'fc2');
  b.add('multiply', {}, ['c', 'fc2'], 'm');
  b.add('globalMaxPool', {}, 'c', 'peak');
  b.add('dense', { units: 8, activation: 'sigmoid' }, 'peak', 'g');
  b.add('multiply', {}, ['g', 'c'], 'm2');
  return b.design();
}

const SEED = 9;
const EVERY = { everyTensor: true }; // biases drawn too, so a gate on the wrong channel shows

describe('squeeze-and-excitation (multiply, keepDims) in every backend', () => {
  it('analyses and compiles in tfjs with the analysed shapes and parameters', () => {
    const design = gated();
    const a = analyze(design);
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect([row('squeeze').outputShape, row('fc2').outputShape, row('m').outputShape, row('g').outputShape, row('m2').outputShape])
      .toEqual([[1, 1, 8], [1, 1, 8], [H, W, 8], [8], [H, W, 8]]);
    // 1×1 convs on [1, 1, C]: 8·2 + 2 and 2·8 + 8; the multiplies count 0
    expect([row('fc1').params, row('fc2').params, row('m').params, row('m').macs, row('m2').macs]).toEqual([18, 24, 0, 0, 0]);
    const compiled = compileDesign(design, { seed: SEED });
    try {
      expect(compiled.model.countParams()).toBe(a.totals.params);
      expect(compiled.model.outputs.map((o) => o.shape.slice(1))).toEqual([[H, W, 8], [H, W, 8]]);
      expect(compiled.outputsByNode.get('squeeze')!.shape.slice(1)).toEqual([1, 1, 8]);
    } finally {
      compiled.model.dispose();
    }
  });

  itWithPython(['torch', 'numpy'], "the PyTorch export, ONNX Runtime and tfjs compute torch's own SE gate; its field, measured with the gate held constant, is the analysed window", async () => {
    const design = gated();
    const compiled = compileDesign(design, { seed: SEED, init: EVERY });
    const a = compiled.analysis;
    const { input, outputs: [c, m, m2] } = probeOutputs(compiled, ['c', 'm', 'm2'], [H, W, 3], 21);
    compiled.model.dispose();
    const state = torchStateDict(design, a, { seed: SEED, init: EVERY });
    const onnxOut = await runOnnx(toOnnx(design, { seed: SEED, init: EVERY, analysis: a }), [input]);
    const weights = ['c.weight', 'c.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'g.weight', 'g.bias'];
    const dir = torchFolder('gate', 'se_gate', design, a, state, SEED, [
      ['x', input], ['c', c], ['m', m], ['m2', m2], ['onnx_m', onnxOut[0]], ['onnx_m2', onnxOut[1]], ...weights.map((k): [string, { data: Float32Array }] => [k, state.get(k)!]),
    ]);
    const at = [3, 2]; // a unit of m inside the image: rows 2..4, columns 1..3 with a 3×3 window
    // The reference is torch's own SE block from the state dict's tensors, not Convas's export.
    const script = `
import json, sys, numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
d = sys.argv[1]
def load(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))
nchw = lambda t: t.permute(0, 3, 1, 2)
x = nchw(load("x", (1, ${H}, ${W}, 3)))
wc, bc = load("c.weight", (8, 3, 3, 3)), load("c.bias", (8,))
w1, b1 = load("fc1.weight", (2, 8, 1, 1)), load("fc1.bias", (2,))
w2, b2 = load("fc2.weight", (8, 2, 1, 1)), load("fc2.bias", (8,))
wg, bg = load("g.weight", (8, 8)), load("g.bias", (8,))
conv = lambda t: F.conv2d(t, wc, bc, padding=1)
gate = lambda c: torch.sigmoid(F.conv2d(F.relu(F.conv2d(c.mean(dim=(2, 3), keepdim=True), w1, b1)), w2, b2))
flat_gate = lambda c: torch.sigmoid(F.linear(c.amax(dim=(2, 3)), wg, bg))
with torch.no_grad():
    c = conv(x)
    ref_m, ref_m2 = c * gate(c), flat_gate(c).view(1, 8, 1, 1) * c
import se_gate
m = se_gate.load_convas_weights(se_gate.Model(), f"{d}/w.json").eval()
with torch.no_grad():
    t_m, t_m2 = m(x)
# the field of unit (${at[0]}, ${at[1]}) of m by back-propagation: the gate held constant (detached), then live
def reach(hold):
    xg = x.clone().requires_grad_(True)
    c = conv(xg)
    g = gate(c)
    (c * (g.detach() if hold else g))[0, :, ${at[0]}, ${at[1]}].sum().backward()
    nz = (xg.grad[0].abs().sum(0) > 0).nonzero()
    return [int(nz[:, 0].min()), int(nz[:, 0].max()), int(nz[:, 1].min()), int(nz[:, 1].max()), int(len(nz))]
diff = lambda a, b: float((a - b).abs().max())
print(json.dumps({
    "params": sum(p.numel() for p in m.parameters()),
    "tfjs_c": diff(nchw(load("c", (1, ${H}, ${W}, 8))), c),
    "torch_m": diff(t_m, ref_m), "torch_m2": diff(t_m2, ref_m2),
    "tfjs_m": diff(nchw(load("m", (1, ${H}, ${W}, 8))), ref_m), "tfjs_m2": diff(nchw(load("m2", (1, ${H}, ${W}, 8))), ref_m2),
    "onnx_m": diff(nchw(load("onnx_m", (1, ${H}, ${W}, 8))), ref_m), "onnx_m2": diff(nchw(load("onnx_m2", (1, ${H}, ${W}, 8))), ref_m2),
    "gate_spread": float(gate(c).max() - gate(c).min()),
    "held": reach(True), "live": reach(False),
}))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number | number[]>;
    console.log(`SE gate vs torch's own: ${JSON.stringify(got)}`);
    expect(got.params).toBe(a.totals.trainableParams);
    expect(got.gate_spread).toBeGreaterThan(0.05); // the gate's factors differ by channel: a gate on the wrong channel shows
    for (const k of ['tfjs_c', 'torch_m', 'torch_m2', 'tfjs_m', 'tfjs_m2', 'onnx_m', 'onnx_m2']) expect(got[k], k).toBeLessThan(1e-5);
    // the analysis: the spatial window, global; held constant, torch's gradients reach exactly that window
    const rf = a.nodes.find((n) => n.id === 'm')!.receptiveField!;
    expect(rf.global).toBe(true);
    const [rows, cols] = [unitWindow(rf, 0, at[0]), unitWindow(rf, 1, at[1])];
    expect(got.held).toEqual([rows[0], rows[1], cols[0], cols[1], (rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1)]);
    // live, the gate's global pooling reaches every pixel: what global says
    expect(got.live).toEqual([0, H - 1, 0, W - 1, H * W]);
  }, 90_000);

  it('the tfjs export writes a kept-dims pool as the flat pool and a Reshape to [1, 1, C] (stock tfjs ignores keepdims) and Multiply, reloads in tfjs and reads back through the Keras import with the same outputs', async () => {
    const design = gated();
    const rt = await tfjsRoundTrip(design, { seed: SEED, init: EVERY, inputShape: [H, W, 3], inputSeed: 23 });
    const { layer } = rt;
    expect([layer('squeeze').class_name, 'keepdims' in layer('squeeze').config]).toEqual(['GlobalAveragePooling2D', false]);
    expect([layer('squeeze__keep').class_name, layer('squeeze__keep').config.target_shape]).toEqual(['Reshape', [1, 1, 8]]);
    expect([layer('peak').class_name, 'keepdims' in layer('peak').config]).toEqual(['GlobalMaxPooling2D', false]);
    expect([layer('m').class_name, layer('m2').class_name]).toEqual(['Multiply', 'Multiply']);

    expect(rt.reloaded).toEqual(rt.want);

    const back = rt.back;
    // (in tfjs's layer order, which need not be the design's: compared by id)
    const node = (id: string) => back.nodes.find((n) => n.id === id)!;
    expect(['squeeze', 'peak', 'm', 'm2'].map((id) => [node(id).kind, node(id).params]))
      .toEqual([['globalAvgPool', { keepDims: true }], ['globalMaxPool', {}], ['multiply', {}], ['multiply', {}]]);
    const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id);
    const strip = (d: Design) => analyze(d).nodes.sort(byId).map((n) => [n.id, n.inputs, n.outputShape, n.params, n.receptiveField]);
    expect(strip(back)).toEqual(strip(design));
    expect(rt.again).toEqual(rt.want);
  });
});

// ---- Keras's own SE blocks, as Keras 2 serializes them ----

const ref = (n: string) => [n, 0, 0, {}];
const conv1x1 = (name: string, filters: number, activation: string) => ({
  name, filters, kernel_size: [1, 1], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1],
  groups: 1, activation, use_bias: true,
});
type L = { class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };
const layer = (class_name: string, name: string, config: Record<string, unknown>, from: string[]): L =>
  ({ class_name, name, config: { name, ...config }, inbound_nodes: from.length ? [from.map(ref)] : [] });

/** A functional model: input [8, 8, 16] → `squeeze` (the given layers, the last named `gate`) → Multiply([x, gate]). */
function seModel(squeeze: L[]) {
  return {
    class_name: 'Functional',
    config: {
      name: 'se',
      layers: [
        { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, 8, 8, 16], dtype: 'float32', name: 'x' }, inbound_nodes: [] },
        ...squeeze,
        layer('Multiply', 'excite', {}, ['x', 'gate']),
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['excite', 0, 0]],
    },
  };
}

describe("Keras's squeeze-and-excitation blocks", () => {
  it("MobileNet v3's (keras/applications/mobilenet_v3.py): GlobalAveragePooling2D(keepdims=True) → Conv2D relu → Conv2D → Activation → Multiply", () => {
    const d = importKeras(seModel([
      layer('GlobalAveragePooling2D', 'squeeze_excite_AvgPool', { keepdims: true, data_format: 'channels_last' }, ['x']),
      layer('Conv2D', 'squeeze_excite_Conv', conv1x1('squeeze_excite_Conv', 4, 'relu'), ['squeeze_excite_AvgPool']),
      layer('Conv2D', 'squeeze_excite_Conv_1', conv1x1('squeeze_excite_Conv_1', 16, 'linear'), ['squeeze_excite_Conv']),
      layer('Activation', 'gate', { activation: 'sigmoid' }, ['squeeze_excite_Conv_1']),
    ]));
    expect(d.nodes.map((n) => [n.id, n.kind, n.params]).slice(1, 2)).toEqual([['squeeze_excite_AvgPool', 'globalAvgPool', { keepDims: true }]]);
    const a = analyze(d);
    const m = a.nodes.find((n) => n.id === 'excite')!;
    expect([m.kind, m.inputs, m.outputShape, m.receptiveField]).toEqual(['multiply', ['x', 'gate'], [8, 8, 16], { size: [1, 1], stride: [1, 1], padding: [0, 0], global: true }]);
    expect(a.totals.params).toBe(16 * 4 + 4 + 4 * 16 + 16);
  });

  it("EfficientNet's (keras/applications/efficientnet.py): GlobalAveragePooling2D → Reshape((1, 1, C)) folds into the pool's keepDims", () => {
    const d = importKeras(seModel([
      layer('GlobalAveragePooling2D', 'se_squeeze', {}, ['x']),
      layer('Reshape', 'se_reshape', { target_shape: [1, 1, 16] }, ['se_squeeze']),
      layer('Conv2D', 'se_reduce', conv1x1('se_reduce', 4, 'swish'), ['se_reshape']),
      layer('Conv2D', 'gate', conv1x1('gate', 16, 'sigmoid'), ['se_reduce']),
    ]));
    expect(d.nodes.map((n) => [n.id, n.kind, n.params.keepDims ?? null])).toEqual([
      ['x', 'input', null], ['se_squeeze', 'globalAvgPool', true], ['se_reduce', 'conv2d', null], ['gate', 'conv2d', null], ['excite', 'multiply', null],
    ]);
    expect(d.edges.find((e) => e.target === 'se_reduce')!.source).toBe('se_squeeze');
    expect(analyze(d).valid).toBe(true);
  });

  it('a Reshape of a dense gate [C] to (1, 1, C) that feeds only the Multiply is dropped: the [C] gate broadcasts alike', () => {
    const d = importKeras(seModel([
      layer('GlobalAveragePooling2D', 'pool', {}, ['x']),
      layer('Dense', 'fc', { units: 16, activation: 'sigmoid', use_bias: true }, ['pool']),
      layer('Reshape', 'gate', { target_shape: [1, 1, 16] }, ['fc']),
    ]));
    expect(d.nodes.map((n) => n.kind)).toEqual(['input', 'globalAvgPool', 'dense', 'multiply']);
    const m = analyze(d).nodes.find((n) => n.id === 'excite')!;
    expect([m.inputs, m.outputShape]).toEqual([['x', 'fc'], [8, 8, 16]]);
  });

  it('refuses any other reshape to three axes, and a (1, 1, C) that does not hold its input, naming the layer and field', () => {
    const other = () => importKeras(seModel([
      layer('GlobalAveragePooling2D', 'pool', {}, ['x']),
      layer('Reshape', 'r', { target_shape: [1, 1, 16] }, ['pool']),
      layer('Conv2D', 'gate', conv1x1('gate', 16, 'sigmoid'), ['r']),
      layer('Conv2D', 'side', conv1x1('side', 16, 'sigmoid'), ['pool']),
    ]));
    expect(other).toThrow(ImportError);
    expect(other).toThrow("layer 'r': field 'target_shape': [1,1,16] (Convas reshapes only to a flat [N], as a flatten, or to (1, 1, C) right after a flat global pool or into a Multiply, as a squeeze-and-excitation gate)");
    const wide = () => importKeras(seModel([
      layer('GlobalAveragePooling2D', 'pool', {}, ['x']),
      layer('Reshape', 'gate', { target_shape: [2, 2, 4] }, ['pool']),
    ]));
    expect(wide).toThrow("layer 'gate': field 'target_shape': [2,2,4]");
    const size = () => importKeras(seModel([
      layer('GlobalAveragePooling2D', 'pool', {}, ['x']),
      layer('Dense', 'fc', { units: 8, activation: 'sigmoid', use_bias: true }, ['pool']),
      layer('Reshape', 'gate', { target_shape: [1, 1, 16] }, ['fc']),
    ]));
    expect(size).toThrow("layer 'gate': field 'target_shape': [1,1,16] of a [8] tensor is not a squeeze-and-excitation gate's [C] → [1, 1, C]");
  });
});
