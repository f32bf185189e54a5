/**
 * The `scale` kind (ConvNeXt's layer scale, docs/design-format.md#layer-kinds) through every backend, on a small design of it on an image
 * and on a flat vector: tfjs compiles it with the analysed shapes and parameters; PyTorch (the export, loaded with
 * the same weights), ONNX Runtime and tfjs compute the products a few lines of torch compute on their own
 * (`x · gamma` per channel); the tfjs export reloads in tfjs and reads back through the Keras import; Keras 3's
 * `LayerScale` config, as keras/src/applications/convnext.py writes it, imports as the kind.
 */

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { nodeInitialWeights } from '../../engine/initial-weights.ts';
import { resolve } from '../../engine/resolve.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compiledNodeWeights, compileDesign } from '../compile/index.ts';
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

/** in [5, 6, 3] → conv 3×3 → scale (an image, ConvNeXt's 1e-6 start); in → global average pool → scale (a vector). */
function scaled(): Design {
  const b = new DesignBuilder('layer scale');
  b.input([5, 6, 3]);
  b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'c');
  b.add('scale', { initValue: 1e-6 }, 'c', 'ls');
  b.add('globalAvgPool', {}, 'in', 'gap');
  b.add('scale', { initValue: 0.5 }, 'gap', 'lsFlat');
  return b.design();
}

const SEED = 5;
const EVERY = { everyTensor: true }; // gamma drawn at random too, so a factor on the wrong channel shows

/** tfjs's outputs on a seeded input (−1..1), with the node outputs they come from (ls, lsFlat). */
function runTfjs(design: Design) {
  const compiled = compileDesign(design, { seed: SEED, init: EVERY });
  const { input, outputs: [c, ls, gap, lsFlat] } = probeOutputs(compiled, ['c', 'ls', 'gap', 'lsFlat'], [5, 6, 3], 13);
  return { compiled, input, c, ls, gap, lsFlat };
}

describe('scale (layer scale) in every backend', () => {
  it('tfjs compiles it with the analysed shapes and parameters (C per scale), its gamma starting at initValue', () => {
    const design = scaled();
    const a = analyze(design);
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect([row('ls').outputShape, row('ls').params, row('ls').macs]).toEqual([[5, 6, 4], 4, 0]);
    expect([row('lsFlat').outputShape, row('lsFlat').params, row('lsFlat').macs]).toEqual([[3], 3, 0]);
    const compiled = compileDesign(design, { seed: SEED });
    try {
      expect(compiled.model.countParams()).toBe(a.totals.params);
      expect(compiled.model.outputs.map((o) => o.shape.slice(1))).toEqual([[5, 6, 4], [3]]);
      expect(compiled.model.getLayer('ls').getWeights().map((w) => w.shape)).toEqual([[4]]);
      const gamma = compiledNodeWeights(compiled, 'ls').gamma!;
      expect(Array.from(gamma.data)).toEqual(new Array(4).fill(Math.fround(1e-6)));
      expect(Array.from(compiledNodeWeights(compiled, 'lsFlat').gamma!.data)).toEqual([0.5, 0.5, 0.5]);
    } finally {
      compiled.model.dispose();
    }
  });

  itWithPython(['torch', 'numpy'], 'the PyTorch export and tfjs compute what torch computes on its own: x · gamma.view(1, −1, 1, 1), and x · gamma on a vector', async () => {
    const design = scaled();
    const { compiled, input, c, ls, gap, lsFlat } = runTfjs(design);
    const a = compiled.analysis;
    compiled.model.dispose();
    const state = torchStateDict(design, a, { seed: SEED, init: EVERY });
    expect([...state.keys()].filter((k) => k.startsWith('ls'))).toEqual(['ls.gamma', 'lsFlat.gamma']);
    const onnxOut = await runOnnx(toOnnx(design, { seed: SEED, init: EVERY, analysis: a }), [input]);
    // tensors channels-last as tfjs holds them; the script makes them NCHW
    const dir = torchFolder('scale', 'layer_scale', design, a, state, SEED, [
      ['x', input], ['c', c], ['gap', gap], ['ls', ls], ['lsFlat', lsFlat], ['onnx_ls', onnxOut[0]], ['onnx_lsFlat', onnxOut[1]],
      ['gamma', state.get('ls.gamma')!], ['gammaFlat', state.get('lsFlat.gamma')!],
    ]);
    // The reference is torch's own product of the conv's (or pool's) output and the factors, not Convas's.
    const script = `
import json, sys, numpy as np, torch
sys.path.insert(0, sys.argv[1])
d = sys.argv[1]
def load(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))
nchw = lambda t: t.permute(0, 3, 1, 2)
x, c = nchw(load("x", (1, 5, 6, 3))), nchw(load("c", (1, 5, 6, 4)))
gap, gamma, gamma_flat = load("gap", (1, 3)), load("gamma", (4,)), load("gammaFlat", (3,))
ref_ls, ref_flat = c * gamma.view(1, -1, 1, 1), gap * gamma_flat
import layer_scale
m = layer_scale.load_convas_weights(layer_scale.Model(), f"{d}/w.json").eval()
with torch.no_grad():
    t_ls, t_flat = m(x)
diff = lambda a, b: float((a - b).abs().max())
print(json.dumps({
    "params": sum(p.numel() for p in m.parameters()),
    "gamma": list(m.ls["gamma"].shape),
    "torch_ls": diff(t_ls, ref_ls), "torch_flat": diff(t_flat, ref_flat),
    "tfjs_ls": diff(nchw(load("ls", (1, 5, 6, 4))), ref_ls), "tfjs_flat": diff(load("lsFlat", (1, 3)), ref_flat),
    "onnx_ls": diff(nchw(load("onnx_ls", (1, 5, 6, 4))), ref_ls), "onnx_flat": diff(load("onnx_lsFlat", (1, 3)), ref_flat),
    "max_abs": float(ref_ls.abs().max()),
}))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number | number[]>;
    console.log(`scale vs torch's own x · gamma: ${JSON.stringify(got)}`);
    expect(got.params).toBe(a.totals.trainableParams);
    expect(got.gamma).toEqual([4]);
    expect(got.max_abs).toBeGreaterThan(0.1); // the factors were drawn in 0.5..1.5: the outputs are not near zero
    for (const k of ['torch_ls', 'torch_flat', 'tfjs_ls', 'tfjs_flat', 'onnx_ls', 'onnx_flat']) expect(got[k], k).toBeLessThan(1e-5);
  }, 90_000);

  it('the tfjs export reloads in tfjs (ConvasScale) and reads back through the Keras import with its initValue and the same outputs', async () => {
    const design = scaled();
    const rt = await tfjsRoundTrip(design, { seed: SEED, init: EVERY, inputShape: [5, 6, 3], inputSeed: 17 });
    expect([rt.layer('ls').class_name, rt.layer('ls').config.init_value]).toEqual(['ConvasScale', 1e-6]);
    expect(rt.reloaded).toEqual(rt.want);
    expect(rt.back.nodes.filter((n) => n.kind === 'scale').map((n) => [n.id, n.params])).toEqual([['ls', { initValue: 1e-6 }], ['lsFlat', { initValue: 0.5 }]]);
    expect(analyze(rt.back).totals).toEqual(analyze(design).totals);
    expect(rt.again).toEqual(rt.want);
  });

  /** Keras 3's ConvNeXt layer scale (`model.to_json()`), after a Dense as ConvNeXt's pointwise convolutions are. */
  const keras3 = (projectionDim: number) => {
    const t = (n: string, shape: (number | null)[]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [n, 0, 0] } });
    const call = (...args: unknown[]) => [{ args, kwargs: {} }];
    return {
      module: 'keras', class_name: 'Functional', registered_name: 'Functional',
      config: {
        name: 'convnext_tail', trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'x', config: { batch_shape: [null, 7, 7, 96], dtype: 'float32', sparse: false, name: 'x' }, inbound_nodes: [] },
          { module: 'keras.src.applications.convnext', class_name: 'LayerScale', registered_name: 'LayerScale', name: 'convnext_tiny_stage_0_block_0_layer_scale',
            config: { name: 'convnext_tiny_stage_0_block_0_layer_scale', trainable: true, dtype: 'float32', init_values: 1e-6, projection_dim: projectionDim },
            inbound_nodes: call(t('x', [null, 7, 7, 96])) },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['convnext_tiny_stage_0_block_0_layer_scale', 0, 0]],
      },
    };
  };

  it("Keras 3's LayerScale (init_values, projection_dim) imports as scale: 96 factors, 0 MACs", () => {
    const d = importKeras(keras3(96));
    const node = d.nodes.find((n) => n.kind === 'scale')!;
    expect(node.params).toEqual({ initValue: 1e-6 });
    const row = analyze(d).nodes.find((n) => n.id === node.id)!;
    expect([row.outputShape, row.params, row.trainableParams, row.macs]).toEqual([[7, 7, 96], 96, 96, 0]);
  });

  it("Keras 3's LayerScale whose projection_dim is not its input's channels is refused, naming the field", () => {
    expect(() => importKeras(keras3(64))).toThrow(ImportError);
    expect(() => importKeras(keras3(64))).toThrow("layer 'convnext_tiny_stage_0_block_0_layer_scale': field 'projection_dim': 64 differs from the 96 channels of its [batch, 7, 7, 96] input (Convas's scale has one factor per channel)");
  });

  it('draws gamma for the seed like every other weight: the same numbers in the tfjs model and the state dict', () => {
    const design = scaled();
    const drawn = nodeInitialWeights(resolve(design).byId.get('ls')!, SEED, EVERY).gamma!;
    expect(Array.from(drawn.data).every((v) => v >= 0.5 && v <= 1.5)).toBe(true);
    expect(Buffer.from(torchStateDict(design, analyze(design), { seed: SEED, init: EVERY }).get('ls.gamma')!.data.buffer)
      .equals(Buffer.from(drawn.data.buffer))).toBe(true);
  });
});
