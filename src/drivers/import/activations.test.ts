/**
 * Issue 20's activations (docs/design-format.md#activations) through every backend: hardSigmoid (relu6(x + 3) / 6),
 * hardSwish (x · hardSigmoid(x)), gelu (exact, x·Φ(x) with erf) and the activation layer's leakyRelu (alpha). On a
 * fixed grid through the kinks (−3, 0, 3), tiny and large |x|, tfjs (wasm and cpu), the PyTorch export and ONNX
 * Runtime compute what torch's own F.hardsigmoid, F.hardswish, F.gelu and F.leaky_relu compute on the same float32
 * grid; the tfjs export reloads in tfjs and reads back through the Keras import; Keras configs import with each
 * framework's own definition, and Keras 2's (and tfjs's) hard_sigmoid, 0.2·x + 0.5, is refused.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, defaultParams, dropInapplicable, getLayerKind, validateParams, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, tf } from '../compile/index.ts';
import type { ModelJson } from '../compile/model-json.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { serializeLayersModel } from '../compile/serialize.ts';
import { toOnnx } from '../export/onnx.ts';
import { toPyTorch } from '../export/pytorch.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { runOnnx } from '../../../test/support/onnx-runtime.ts';
import { ImportError, importKeras } from './keras-import.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});
afterAll(async () => {
  await setupNodeBackend('wasm');
});

/** The grid: the kinks and their float32 neighbours, tiny values, the erf's bend, and large |x|. */
const GRID = Float32Array.from([
  -1e4, -100, -20, -10, -6, -5, -4, -3.5, -3.0001, -3, -2.9999, -2.5, -2, -1.5, -1, -0.75, -0.5, -0.25, -1e-3, -1e-7, 0,
  1e-7, 1e-3, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 2.9999, 3, 3.0001, 3.5, 4, 5, 6, 10, 20, 100, 1e4,
  ...Array.from({ length: 41 }, (_, i) => -5 + i / 4 + 0.01),
]);
const N = GRID.length;

/** The functions, each an activation node on the grid (a flat [N] input), in the design's output order. */
const NODES = [
  ['hsig', { fn: 'hardSigmoid' }, 'F.hardsigmoid(x)'],
  ['hswish', { fn: 'hardSwish' }, 'F.hardswish(x)'],
  ['gelu', { fn: 'gelu' }, 'F.gelu(x)'],
  ['leaky', { fn: 'leakyRelu' }, 'F.leaky_relu(x, 0.01)'], // PyTorch's default slope, left to the default
  ['leaky3', { fn: 'leakyRelu', alpha: 0.3 }, 'F.leaky_relu(x, 0.3)'],
] as const;

function gridDesign(): Design {
  const b = new DesignBuilder('activations');
  b.input([N]);
  for (const [id, params] of NODES) b.add('activation', params, 'in', id);
  return b.design();
}

/** tfjs's outputs on the grid, one per node. */
function runTfjs(design: Design): Float32Array[] {
  const compiled = compileDesign(design, { seed: 1 });
  const x = tf.tensor2d(GRID, [1, N]);
  const ys = compiled.model.predict(x) as tf.Tensor[];
  const out = ys.map((t) => Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose([x, ...ys]);
  compiled.model.dispose();
  return out;
}

describe('hardSigmoid, hardSwish, gelu and leakyRelu in every backend', () => {
  itWithPython(['torch', 'numpy'], "tfjs (wasm and cpu), the PyTorch export and ONNX Runtime compute torch's own F.hardsigmoid, F.hardswish, F.gelu and F.leaky_relu on a grid through the kinks", async () => {
    const design = gridDesign();
    const a = analyze(design);
    expect(a.errors).toEqual([]);
    expect(a.nodes.filter((n) => n.kind === 'activation').map((n) => [n.outputShape, n.params, n.macs])).toEqual(NODES.map(() => [[N], 0, 0]));
    const wasm = runTfjs(design);
    await setupNodeBackend('cpu');
    const cpu = runTfjs(design);
    await setupNodeBackend('wasm');
    const onnx = await runOnnx(toOnnx(design, { seed: 1, analysis: a }), [{ shape: [1, N], data: GRID }]);
    const dir = mkdtempSync(join(tmpdir(), 'convas-act-'));
    const f32 = (name: string, data: Float32Array) => writeFileSync(join(dir, `${name}.f32`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    writeFileSync(join(dir, 'acts.py'), toPyTorch(design, a));
    f32('x', GRID);
    NODES.forEach(([id], k) => {
      f32(`wasm_${id}`, wasm[k]);
      f32(`cpu_${id}`, cpu[k]);
      f32(`onnx_${id}`, onnx[k].data);
    });
    // The reference is torch's own functions on the float32 grid, not Convas's export; float64 beside it says how
    // far float32 itself is from the exact values.
    const script = `
import json, sys, numpy as np, torch
import torch.nn.functional as F
d = sys.argv[1]
sys.path.insert(0, d)
load = lambda name: torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32))
x = load("x").view(1, -1)
names = ${JSON.stringify(NODES.map(([id]) => id))}
refs = [${NODES.map(([, , ref]) => ref).join(', ')}]
x64 = x.double()
exact = (lambda x: [${NODES.map(([, , ref]) => ref).join(', ')}])(x64)
import acts
m = acts.Model().eval()
with torch.no_grad():
    exported = m(x)
diff = lambda a, b: float((a.double() - b.double()).abs().max())
# a difference in units of max(1, |value|): float32 keeps 2^-24 of a value, so 1e-6 is 1e-6 absolute below 1 and
# about 8 float32 steps above it (leaky_relu(-100, 0.3) is -30 in tfjs cpu, which multiplies by the double 0.3, and
# -30.000002 in torch, which multiplies by float32(0.3): both round a right answer)
rel = lambda a, b: float(((a.double() - b.double()).abs() / b.double().abs().clamp(min=1)).max())
out = {}
for k, n in enumerate(names):
    got = {"torch_export": exported[k], "tfjs_wasm": load(f"wasm_{n}").view(1, -1), "tfjs_cpu": load(f"cpu_{n}").view(1, -1), "onnx": load(f"onnx_{n}").view(1, -1)}
    out[n] = {key: {"abs": diff(v, refs[k]), "rel": rel(v, refs[k])} for key, v in got.items()}
    out[n]["torch_f32_vs_f64"] = {"abs": diff(refs[k], exact[k]), "rel": rel(refs[k], exact[k])}
out["kinks"] = [float(v) for v in F.hardsigmoid(torch.tensor([-3.0, 0.0, 3.0]))] + [float(v) for v in F.hardswish(torch.tensor([-3.0, 3.0]))]
print(json.dumps(out))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, Record<string, { abs: number; rel: number }>> & { kinks: number[] };
    console.log(`activations vs torch's own functions (max |difference| on ${N} grid points): ${JSON.stringify(got)}`);
    // the reference itself is relu6(x + 3) / 6, not 0.2·x + 0.5 (hardswish(−3) is −3·0, a −0 in torch: the sign is not the point)
    expect(got.kinks.map((v) => v + 0)).toEqual([0, 0.5, 1, 0, 3]);
    for (const [id] of NODES) {
      for (const k of ['torch_export', 'tfjs_wasm', 'tfjs_cpu', 'onnx']) expect(got[id][k].rel, `${id} ${k}`).toBeLessThanOrEqual(1e-6);
    }
  }, 120_000);

  it('is one function in tfjs: Convas\'s hardSigmoid is relu6(x + 3) / 6 at the kinks, not tfjs\'s own 0.2·x + 0.5', () => {
    const [hsig, hswish, , leaky, leaky3] = runTfjs(gridDesign());
    const at = (v: number) => GRID.indexOf(Math.fround(v));
    expect([-3, -2.5, 0, 2.5, 3].map((v) => hsig[at(v)])).toEqual([0, Math.fround(0.5 / 6), 0.5, Math.fround(5.5 / 6), 1]);
    expect([-3, 0, 3, 4].map((v) => hswish[at(v)])).toEqual([-0, 0, 3, 4]);
    expect([leaky[at(-100)], leaky3[at(-100)], leaky3[at(100)]]).toEqual([Math.fround(-100 * Math.fround(0.01)), Math.fround(-100 * Math.fround(0.3)), 100]);
  });

  it('the ONNX export writes HardSigmoid with alpha 1/6 and opset-13 decompositions of HardSwish and Gelu', async () => {
    const design = gridDesign();
    const bytes = toOnnx(design, { seed: 1 });
    const text = new TextDecoder('latin1').decode(bytes);
    for (const op of ['HardSigmoid', 'Erf', 'LeakyRelu']) expect(text).toContain(op);
    expect(text).not.toContain('HardSwish');
    expect(text).not.toContain('Gelu');
  });

  it('the tfjs export names Convas\'s own activations, reloads in tfjs with the same outputs and reads back as the design', async () => {
    const b = new DesignBuilder('fused');
    b.input([5, 6, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same', activation: 'hardSigmoid' }, 'in', 'c1');
    b.add('conv2d', { filters: 4, kernelSize: 1, activation: 'hardSwish' }, 'c1', 'c2');
    b.add('dense', { units: 3, activation: 'gelu' }, b.add('flatten', {}, 'c2', 'flat'), 'fc');
    b.add('activation', { fn: 'leakyRelu', alpha: 0.2 }, 'c2', 'leaky');
    b.add('activation', { fn: 'hardSwish' }, 'c1', 'hs');
    const design = b.design();
    const compiled = compileDesign(design, { seed: 3, init: { everyTensor: true } });
    const { modelJson, weights } = await serializeLayersModel(compiled.model, 'weights.bin');
    const json = JSON.parse(modelJson) as ModelJson;
    const layers = (json.modelTopology as { config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] } }).config.layers;
    const layer = (name: string) => layers.find((l) => l.name === name)!;
    expect([layer('c1').config.activation, layer('c2').config.activation, layer('fc').config.activation]).toEqual(['convas_hard_sigmoid', 'convas_hard_swish', 'gelu']);
    expect([layer('leaky').class_name, layer('leaky').config.alpha]).toEqual(['LeakyReLU', 0.2]);
    const x = tf.randomUniform([1, 5, 6, 3], -4, 4, 'float32', 7);
    const flat = (m: tf.LayersModel) => (m.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const want = flat(compiled.model);
    compiled.model.dispose();
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
    expect(flat(reloaded)).toEqual(want);
    reloaded.dispose();
    x.dispose();
    const back = importKeras(json);
    const params = (id: string) => back.nodes.find((n) => n.id === id)!.params;
    expect([params('c1').activation, params('c2').activation, params('fc').activation, params('leaky'), params('hs')])
      .toEqual(['hardSigmoid', 'hardSwish', 'gelu', { fn: 'leakyRelu', alpha: 0.2 }, { fn: 'hardSwish' }]);
  });
});

describe("leakyRelu's alpha: a param of the activation kind that applies only where fn is leakyRelu", () => {
  const schema = getLayerKind('activation')!.params;
  it('fills 0.01 (PyTorch\'s negative_slope) for a leaky ReLU, and nothing for another function', () => {
    expect(validateParams(schema, { fn: 'leakyRelu' })).toEqual({ params: { fn: 'leakyRelu', alpha: 0.01 }, issues: [] });
    expect(validateParams(schema, { fn: 'gelu' })).toEqual({ params: { fn: 'gelu' }, issues: [] });
    expect(defaultParams(schema)).toEqual({ fn: 'relu' });
  });
  it('refuses an alpha on another function, and a negative one', () => {
    expect(validateParams(schema, { fn: 'relu', alpha: 0.2 }).issues).toEqual([{ field: 'alpha', message: 'Negative slope applies only where function is leakyRelu (function is "relu")' }]);
    expect(validateParams(schema, { fn: 'leakyRelu', alpha: -0.1 }).issues).toEqual([{ field: 'alpha', message: 'Negative slope must be from 0 to 1000000, got -0.1' }]);
  });
  it('drops alpha when the function becomes another (what the inspector commits)', () => {
    expect(dropInapplicable(schema, { fn: 'relu', alpha: 0.2 })).toEqual({ fn: 'relu' });
    expect(dropInapplicable(schema, { fn: 'leakyRelu', alpha: 0.2 })).toEqual({ fn: 'leakyRelu', alpha: 0.2 });
  });
});

describe('Keras configs: each framework\'s own definitions', () => {
  /** A Keras 3 `to_json()` (no keras_version: its layout says Keras 3) of an input and `layers`, chained. */
  const keras3 = (...layers: { class_name: string; config: Record<string, unknown> }[]) => {
    const t = (n: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 8, 8, 3], dtype: 'float32', keras_history: [n, 0, 0] } });
    const names = ['x', ...layers.map((l) => l.config.name as string)];
    return {
      module: 'keras', class_name: 'Functional', registered_name: 'Functional',
      config: {
        name: 'm', trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'x', config: { batch_shape: [null, 8, 8, 3], dtype: 'float32', name: 'x' }, inbound_nodes: [] },
          ...layers.map((l, i) => ({ module: 'keras.layers', registered_name: null, name: l.config.name, ...l, inbound_nodes: [{ args: [t(names[i])], kwargs: {} }] })),
        ],
        input_layers: [['x', 0, 0]], output_layers: [[names[names.length - 1], 0, 0]],
      },
    };
  };
  /** A Keras 2 `to_json()`, or a tfjs model.json with `keras_version` as tfjs writes it. */
  const keras2 = (version: string, ...layers: { class_name: string; config: Record<string, unknown> }[]) => ({
    class_name: 'Sequential', keras_version: version, backend: 'tensorflow',
    config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8, 8, 3] } }, ...layers] },
  });
  const fnOf = (d: Design, id: string) => d.nodes.find((n) => n.id === id)!.params;

  it("Keras 3's hard_sigmoid, hard_silu, hard_swish, gelu and leaky_relu (slope 0.2) import as Convas's functions", () => {
    const d = importKeras(keras3(
      { class_name: 'Activation', config: { name: 'a1', activation: 'hard_sigmoid' } },
      { class_name: 'Activation', config: { name: 'a2', activation: 'hard_silu' } },
      { class_name: 'Activation', config: { name: 'a3', activation: { module: 'keras.activations', class_name: 'function', config: 'hard_swish', registered_name: 'function' } } },
      { class_name: 'Activation', config: { name: 'a4', activation: 'gelu' } },
      { class_name: 'Activation', config: { name: 'a5', activation: 'leaky_relu' } },
      { class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: [1, 1], activation: 'hard_sigmoid' } },
    ));
    expect(['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => fnOf(d, id))).toEqual([
      { fn: 'hardSigmoid' }, { fn: 'hardSwish' }, { fn: 'hardSwish' }, { fn: 'gelu' }, { fn: 'leakyRelu', alpha: 0.2 },
    ]);
    expect(fnOf(d, 'c').activation).toBe('hardSigmoid');
  });

  it('LeakyReLU keeps its slope (Keras 3 negative_slope, Keras 2 and tfjs alpha, else their default 0.3); ReLU with negative_slope is a leaky ReLU', () => {
    const d = importKeras(keras3(
      { class_name: 'LeakyReLU', config: { name: 'l1', negative_slope: 0.1 } },
      { class_name: 'LeakyReLU', config: { name: 'l2' } },
      { class_name: 'ReLU', config: { name: 'r', negative_slope: 0.05, max_value: null, threshold: 0 } },
    ));
    expect(['l1', 'l2', 'r'].map((id) => fnOf(d, id))).toEqual([{ fn: 'leakyRelu', alpha: 0.1 }, { fn: 'leakyRelu', alpha: 0.3 }, { fn: 'leakyRelu', alpha: 0.05 }]);
    expect(fnOf(importKeras(keras2('2.15.0', { class_name: 'LeakyReLU', config: { name: 'l', alpha: 0.3 } })), 'l')).toEqual({ fn: 'leakyRelu', alpha: 0.3 });
  });

  it("refuses hard_sigmoid from Keras 2 and tfjs (0.2·x + 0.5), and from a file that does not say which Keras wrote it", () => {
    const layer = { class_name: 'Activation', config: { name: 'hs', activation: 'hard_sigmoid' } };
    const refused = (json: unknown) => {
      try {
        importKeras(json);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return (e as Error).message;
      }
      throw new Error('imported');
    };
    expect(refused(keras2('2.15.0', layer))).toBe("layer 'hs': field 'activation': \"hard_sigmoid\" of Keras 2 (2.15.0) is clip(0.2·x + 0.5, 0, 1), which Convas does not have (its hardSigmoid is relu6(x + 3) / 6, as in Keras 3 and PyTorch)");
    expect(refused({ format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', modelTopology: { ...keras2('tfjs-layers 4.22.0', { class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: 1, activation: 'hard_sigmoid' } }) } }))
      .toBe("layer 'c': field 'activation': \"hard_sigmoid\" of tfjs (tfjs-layers 4.22.0) is clip(0.2·x + 0.5, 0, 1), which Convas does not have (its hardSigmoid is relu6(x + 3) / 6, as in Keras 3 and PyTorch)");
    const { keras_version: _, ...unknown } = keras2('', layer);
    expect(refused(unknown)).toBe("layer 'hs': field 'activation': \"hard_sigmoid\" is clip(0.2·x + 0.5, 0, 1) in Keras 2 and tfjs but relu6(x + 3) / 6 in Keras 3, and this file does not say which Keras wrote it (no keras_version, no Keras 3 layout), so Convas cannot tell which function it means");
    expect(fnOf(importKeras(keras2('3.6.0', layer)), 'hs')).toEqual({ fn: 'hardSigmoid' });
  });

  it('refuses a leaky_relu fused into a layer, and a ReLU with both a slope and a cap', () => {
    expect(() => importKeras(keras3({ class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: 1, activation: 'leaky_relu' } })))
      .toThrow("layer 'c': field 'activation': \"leaky_relu\" (Convas's leakyRelu is an activation layer of its own, not an activation a layer fuses)");
    expect(() => importKeras(keras3({ class_name: 'ReLU', config: { name: 'r', negative_slope: 0.1, max_value: 6 } })))
      .toThrow("layer 'r': field 'negative_slope': 0.1 with max_value 6 (Convas's leakyRelu has no cap)");
  });
});
