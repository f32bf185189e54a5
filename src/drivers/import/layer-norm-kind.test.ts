/**
 * The `layerNorm` kind (ConvNeXt's channels-last LayerNorm, docs/design-format.md#layer-kinds) through every
 * backend, on a small design of it on an image and on a flat vector, with gamma and beta drawn at random: tfjs
 * compiles it with the analysed shapes and parameters; tfjs (wasm and cpu), the PyTorch export (loaded with the same
 * weights) and ONNX Runtime (the opset-13 decomposition) compute what torchvision's own `LayerNorm2d` and
 * `nn.LayerNorm` compute; the tfjs export reloads in tfjs and reads back through the Keras import; Keras's
 * `LayerNormalization` configs import as the kind, or are refused naming the field.
 */

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compiledNodeWeights, compileDesign } from '../compile/index.ts';
import { setupNodeBackend, type NodeBackend } from '../compile/node-backend.ts';
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
afterAll(async () => {
  await setupNodeBackend('wasm');
});

/**
 * in [5, 6, 3] → conv 3×3 (8 filters) → layer norm at ConvNeXt's 1e-6 (an image); that conv → global average pool →
 * layer norm at PyTorch's 1e-5 (a vector of 8).
 */
function normalized(): Design {
  const b = new DesignBuilder('layer norm');
  b.input([5, 6, 3]);
  b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'in', 'c');
  b.add('layerNorm', {}, 'c', 'ln');
  b.add('globalAvgPool', {}, 'c', 'gap');
  b.add('layerNorm', { epsilon: 1e-5 }, 'gap', 'lnFlat');
  return b.design();
}

const SEED = 5;
const EVERY = { everyTensor: true }; // gamma and beta drawn at random too, so a swapped or misplaced one shows

/** tfjs's outputs on a seeded input (−1..1) on `backend`, with the node outputs they come from. */
async function runTfjs(design: Design, backend: NodeBackend) {
  await setupNodeBackend(backend);
  const compiled = compileDesign(design, { seed: SEED, init: EVERY });
  const { input, outputs: [c, ln, gap, lnFlat] } = probeOutputs(compiled, ['c', 'ln', 'gap', 'lnFlat'], [5, 6, 3], 13);
  return { compiled, input, c, ln, gap, lnFlat };
}

describe('layerNorm (ConvNeXt\'s channels-last LayerNorm) in every backend', () => {
  it('tfjs compiles it with the analysed shapes and parameters (2·C per layer norm): LayerNormalization over the last axis, gamma then beta', () => {
    const design = normalized();
    const a = analyze(design);
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect([row('ln').outputShape, row('ln').params, row('ln').macs]).toEqual([[5, 6, 8], 16, 0]);
    expect([row('lnFlat').outputShape, row('lnFlat').params, row('lnFlat').macs]).toEqual([[8], 16, 0]);
    const compiled = compileDesign(design, { seed: SEED });
    try {
      expect(compiled.model.countParams()).toBe(a.totals.params);
      const layer = compiled.model.getLayer('ln');
      expect(layer.getClassName()).toBe('LayerNormalization');
      // axis -1 resolved by build to the last axis of [batch, 5, 6, 8]; the node's epsilon, not tfjs's 1e-3
      expect([layer.getConfig().axis, layer.getConfig().epsilon]).toEqual([[3], 1e-6]);
      expect(layer.weights.map((w) => [w.name.split('/').pop(), w.shape])).toEqual([['gamma', [8]], ['beta', [8]]]);
      expect(compiled.model.getLayer('lnFlat').getConfig().axis).toEqual([1]);
      const w = compiledNodeWeights(compiled, 'ln');
      expect([w.gamma, w.beta].map((t) => Array.from(t!.data))).toEqual([new Array(8).fill(1), new Array(8).fill(0)]);
    } finally {
      compiled.model.dispose();
    }
  });

  itWithPython(['torch', 'torchvision', 'numpy'], "tfjs (wasm and cpu), the PyTorch export and ONNX Runtime compute what torchvision's LayerNorm2d and nn.LayerNorm compute", async () => {
    const design = normalized();
    const cpu = await runTfjs(design, 'cpu');
    cpu.compiled.model.dispose();
    const { compiled, input, c, ln, gap, lnFlat } = await runTfjs(design, 'wasm');
    const a = compiled.analysis;
    compiled.model.dispose();
    const state = torchStateDict(design, a, { seed: SEED, init: EVERY });
    expect([...state.keys()].filter((k) => k.startsWith('ln'))).toEqual(['ln.weight', 'ln.bias', 'lnFlat.weight', 'lnFlat.bias']);
    const onnxOut = await runOnnx(toOnnx(design, { seed: SEED, init: EVERY, analysis: a }), [input]);
    // tensors channels-last as tfjs holds them; the script makes them NCHW
    const dir = torchFolder('layer-norm', 'layer_norm', design, a, state, SEED, [
      ['x', input], ['c', c], ['gap', gap], ['ln', ln], ['lnFlat', lnFlat], ['cpu_ln', cpu.ln], ['cpu_lnFlat', cpu.lnFlat],
      ['onnx_ln', onnxOut[0]], ['onnx_lnFlat', onnxOut[1]],
      ['gamma', state.get('ln.weight')!], ['beta', state.get('ln.bias')!],
      ['gammaFlat', state.get('lnFlat.weight')!], ['betaFlat', state.get('lnFlat.bias')!],
    ]);
    // The reference is torchvision's own LayerNorm2d (ConvNeXt's) on the conv's output and nn.LayerNorm on the
    // pool's, with the drawn gamma and beta: not Convas's export.
    const script = `
import json, sys, numpy as np, torch
from torchvision.models.convnext import LayerNorm2d
sys.path.insert(0, sys.argv[1])
d = sys.argv[1]
def load(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))
nchw = lambda t: t.permute(0, 3, 1, 2)
x, c, gap = nchw(load("x", (1, 5, 6, 3))), nchw(load("c", (1, 5, 6, 8))), load("gap", (1, 8))
ref2d, ref1d = LayerNorm2d(8, eps=1e-6), torch.nn.LayerNorm(8, eps=1e-5)
with torch.no_grad():
    ref2d.weight.copy_(load("gamma", (8,))); ref2d.bias.copy_(load("beta", (8,)))
    ref1d.weight.copy_(load("gammaFlat", (8,))); ref1d.bias.copy_(load("betaFlat", (8,)))
    ref_ln, ref_flat = ref2d(c), ref1d(gap)
import layer_norm
m = layer_norm.load_convas_weights(layer_norm.Model(), f"{d}/w.json").eval()
with torch.no_grad():
    t_ln, t_flat = m(x)
diff = lambda a, b: float((a - b).abs().max())
print(json.dumps({
    "params": sum(p.numel() for p in m.parameters()),
    "keys": [k for k in m.state_dict() if k.startswith("ln")],
    "ln_module": type(m.ln).__name__,
    "torch_ln": diff(t_ln, ref_ln), "torch_flat": diff(t_flat, ref_flat),
    "tfjs_ln": diff(nchw(load("ln", (1, 5, 6, 8))), ref_ln), "tfjs_flat": diff(load("lnFlat", (1, 8)), ref_flat),
    "tfjs_cpu_ln": diff(nchw(load("cpu_ln", (1, 5, 6, 8))), ref_ln), "tfjs_cpu_flat": diff(load("cpu_lnFlat", (1, 8)), ref_flat),
    "onnx_ln": diff(nchw(load("onnx_ln", (1, 5, 6, 8))), ref_ln), "onnx_flat": diff(load("onnx_lnFlat", (1, 8)), ref_flat),
    "max_abs": float(ref_ln.abs().max()),
    "gamma_spread": float(ref2d.weight.max() - ref2d.weight.min()),
}))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number | string | string[]>;
    console.log(`layerNorm vs torchvision's LayerNorm2d / nn.LayerNorm: ${JSON.stringify(got)}`);
    expect(got.params).toBe(a.totals.trainableParams);
    expect(got.keys).toEqual(['ln.weight', 'ln.bias', 'lnFlat.weight', 'lnFlat.bias']);
    expect(got.ln_module).toBe('LayerNorm');
    expect(got.max_abs).toBeGreaterThan(1); // normalized outputs, scaled by gamma in 0.5..1.5: not near zero
    expect(got.gamma_spread).toBeGreaterThan(0.1); // gamma drawn, not all 1
    for (const k of ['torch_ln', 'torch_flat', 'tfjs_ln', 'tfjs_flat', 'tfjs_cpu_ln', 'tfjs_cpu_flat', 'onnx_ln', 'onnx_flat']) {
      expect(got[k], k).toBeLessThan(1e-4);
    }
  }, 90_000);

  it('the tfjs export reloads in tfjs (LayerNormalization, its axis and epsilon saved) and reads back through the Keras import with the same outputs', async () => {
    const design = normalized();
    const rt = await tfjsRoundTrip(design, { seed: SEED, init: EVERY, inputShape: [5, 6, 3], inputSeed: 17 });
    const { json, layer: saved } = rt;
    expect([saved('ln').class_name, saved('ln').config.axis, saved('ln').config.epsilon, saved('ln').config.center, saved('ln').config.scale])
      .toEqual(['LayerNormalization', [3], 1e-6, true, true]);
    expect([saved('lnFlat').config.axis, saved('lnFlat').config.epsilon]).toEqual([[1], 1e-5]);
    expect(json.weightsManifest[0].weights.filter((s) => s.name.startsWith('ln/')).map((s) => [s.name, s.shape])).toEqual([['ln/gamma', [8]], ['ln/beta', [8]]]);

    expect(rt.reloaded).toEqual(rt.want);
    expect(rt.back.nodes.filter((n) => n.kind === 'layerNorm').map((n) => [n.id, n.params])).toEqual([['ln', { epsilon: 1e-6 }], ['lnFlat', { epsilon: 1e-5 }]]);
    expect(analyze(rt.back).totals).toEqual(analyze(design).totals);
    expect(rt.again).toEqual(rt.want);
  });

  /** A Keras 2 functional model (`model.to_json()`): input [7, 7, 96] → LayerNormalization with `config`. */
  const keras2 = (config: Record<string, unknown>, shape = [7, 7, 96]) => ({
    class_name: 'Functional',
    config: {
      name: 'convnext_tail',
      layers: [
        { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, ...shape], dtype: 'float32', name: 'x' }, inbound_nodes: [] },
        { class_name: 'LayerNormalization', name: 'norm', config: { name: 'norm', trainable: true, dtype: 'float32', ...config }, inbound_nodes: [[['x', 0, 0, {}]]] },
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['norm', 0, 0]],
    },
  });
  const imported = (config: Record<string, unknown>, shape?: number[]) => {
    const d = importKeras(keras2(config, shape));
    const node = d.nodes.find((n) => n.kind === 'layerNorm')!;
    const row = analyze(d).nodes.find((n) => n.id === node.id)!;
    return { params: node.params, counts: [row.outputShape, row.trainableParams, row.nonTrainableParams, row.macs] };
  };

  it("Keras's LayerNormalization over the last axis imports as layerNorm with the config's epsilon (Keras's 1e-3 where absent)", () => {
    const full = { epsilon: 1e-6, center: true, scale: true, beta_initializer: { class_name: 'Zeros', config: {} }, gamma_initializer: { class_name: 'Ones', config: {} } };
    for (const axis of [-1, 3, [3], [-1]]) {
      expect(imported({ ...full, axis })).toEqual({ params: { epsilon: 1e-6 }, counts: [[7, 7, 96], 192, 0, 0] });
    }
    expect(imported({ axis: -1 }).params).toEqual({ epsilon: 0.001 });
    expect(imported({ axis: [1], epsilon: 1e-5 }, [768])).toEqual({ params: { epsilon: 1e-5 }, counts: [[768], 1536, 0, 0] });
  });

  it('a LayerNormalization Convas cannot express exactly is refused, naming the layer and the field', () => {
    const refused = (config: Record<string, unknown>) => () => importKeras(keras2(config));
    expect(refused({ axis: [1, 2, 3] })).toThrow(ImportError);
    expect(refused({ axis: [1, 2, 3] })).toThrow("layer 'norm': field 'axis': layer norm over axes [1,2,3] (Convas normalizes the channels of each pixel, the last axis only)");
    expect(refused({ axis: 2 })).toThrow("layer 'norm': field 'axis': layer norm over axis 2 of a [batch, 7, 7, 96] input, which is not the channels axis (Convas uses the last axis: 3 or -1)");
    expect(refused({ axis: [1] })).toThrow("layer 'norm': field 'axis': layer norm over axis 1 of a [batch, 7, 7, 96] input");
    expect(refused({ axis: -1, center: false })).toThrow("layer 'norm': field 'center': false (Convas's layer norm has gamma and beta)");
    expect(refused({ axis: -1, scale: false })).toThrow("layer 'norm': field 'scale': false (Convas's layer norm has gamma and beta)");
    expect(refused({ axis: -1, rms_scaling: true })).toThrow("layer 'norm': field 'rms_scaling': true");
  });
});
