/**
 * `upsample2d` and `cropping2d` (docs/design-format.md#layer-kinds) through every backend: tfjs compiles them with
 * the analysed shapes; tfjs, the PyTorch export and onnxruntime compute what `torch.nn.functional.interpolate`
 * (nearest; bilinear with `align_corners=False`) and a slice compute in a torch script of their own; the tfjs
 * export reloads and reads back through the Keras import as the same nodes. tfjs's own `UpSampling2D` computes
 * bilinear without half-pixel centres, so the test also shows that the layer Convas builds is not that one's values.
 */

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { serializeLayersModel } from '../compile/serialize.ts';
import { toOnnx } from '../export/onnx.ts';
import { torchStateDict } from '../export/torch-layout.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { runOnnx, type Nhwc } from '../../../test/support/onnx-runtime.ts';
import { probeOutputs, torchFolder } from '../../../test/support/torch-fixture.ts';
import { tfjsRoundTrip } from '../../../test/support/tfjs-roundtrip.ts';
import { ImportError, importKeras } from './keras-import.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

const IN = [5, 7, 3];

/**
 * in [5, 7, 3] → nearest ×[2, 3] (`upN`) → crop [1, 2] (`crop`); bilinear ×3 (`upB3`: a middle phase whose second
 * tap weighs 0), bilinear ×[2, 4] (`upB`), and a bilinear ×1 (the identity); a 1×1 conv after the bilinear ×3 so
 * that a weight meets the resized map.
 */
function decoder(): Design {
  const b = new DesignBuilder('decoder kinds');
  b.input(IN);
  b.add('upsample2d', { size: [2, 3] }, 'in', 'upN');
  b.add('cropping2d', { cropping: [1, 2] }, 'upN', 'crop');
  b.add('upsample2d', { size: 3, interpolation: 'bilinear' }, 'in', 'upB3');
  b.add('conv2d', { filters: 2, kernelSize: 1 }, 'upB3', 'mix');
  b.add('upsample2d', { size: [2, 4], interpolation: 'bilinear' }, 'in', 'upB');
  b.add('upsample2d', { size: 1, interpolation: 'bilinear' }, 'in', 'upB1');
  return b.design();
}

const SEED = 5;
const EVERY = { everyTensor: true };
const PROBES = ['upN', 'crop', 'upB3', 'mix', 'upB', 'upB1'];

describe('upsample2d and cropping2d in every backend', () => {
  it('the analysis and tfjs give the contract\'s shapes, no parameters and no MACs', () => {
    const design = decoder();
    const a = analyze(design);
    expect(a.valid).toBe(true);
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect(['upN', 'crop', 'upB3', 'upB', 'upB1'].map((id) => [row(id).outputShape, row(id).params, row(id).macs]))
      .toEqual([[[10, 21, 3], 0, 0], [[8, 17, 3], 0, 0], [[15, 21, 3], 0, 0], [[10, 28, 3], 0, 0], [[5, 7, 3], 0, 0]]);
    const compiled = compileDesign(design, { seed: SEED });
    try {
      expect(compiled.model.countParams()).toBe(a.totals.params);
      for (const id of PROBES) expect(compiled.outputsByNode.get(id)!.shape.slice(1), id).toEqual(row(id).outputShape);
    } finally {
      compiled.model.dispose();
    }
  });

  itWithPython(['torch', 'numpy'], 'tfjs, the PyTorch export and onnxruntime compute what F.interpolate (align_corners=False) and a slice compute', async () => {
    const design = decoder();
    const compiled = compileDesign(design, { seed: SEED, init: EVERY });
    const { input, outputs } = probeOutputs(compiled, PROBES, IN, 3);
    const a = compiled.analysis;
    compiled.model.dispose();
    const state = torchStateDict(design, a, { seed: SEED, init: EVERY });
    const onnxOut = await runOnnx(toOnnx(design, { seed: SEED, init: EVERY, analysis: a }), [input]);
    // the sinks in file order: crop, mix, upB, upB1
    expect(onnxOut.map((t) => t.shape)).toEqual([[1, 8, 17, 3], [1, 15, 21, 2], [1, 10, 28, 3], [1, 5, 7, 3]]);
    const dir = torchFolder('decoder', 'decoder_kinds', design, a, state, SEED, [
      ['x', input], ...PROBES.map((id, i): [string, Nhwc] => [id, outputs[i]]), ...onnxOut.map((t, i): [string, Nhwc] => [`onnx${i}`, t]),
      ['mix_w', state.get('mix.weight')!], ['mix_b', state.get('mix.bias')!],
    ]);
    const script = `
import json, sys, numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
d = sys.argv[1]
def load(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))
nchw = lambda t: t.permute(0, 3, 1, 2)
x = nchw(load("x", (1, 5, 7, 3)))
ref = {
    "upN": F.interpolate(x, scale_factor=(2, 3), mode="nearest"),
    "upB3": F.interpolate(x, scale_factor=3, mode="bilinear", align_corners=False),
    "upB": F.interpolate(x, scale_factor=(2, 4), mode="bilinear", align_corners=False),
    "upB1": x,
}
ref["crop"] = ref["upN"][:, :, 1:9, 2:19]
ref["mix"] = F.conv2d(ref["upB3"], load("mix_w", (2, 3, 1, 1)), load("mix_b", (2,)))
import decoder_kinds
m = decoder_kinds.load_convas_weights(decoder_kinds.Model(), f"{d}/w.json").eval()
with torch.no_grad():
    t_crop, t_mix, t_up, t_up1 = m(x)
diff = lambda a, b: float((a - b).abs().max())
shape = lambda k: tuple(ref[k].permute(0, 2, 3, 1).shape)
out = {f"tfjs_{k}": diff(nchw(load(k, shape(k))), ref[k]) for k in ref}
out.update({"torch_crop": diff(t_crop, ref["crop"]), "torch_mix": diff(t_mix, ref["mix"]), "torch_upB": diff(t_up, ref["upB"]), "torch_upB1": diff(t_up1, ref["upB1"])})
for i, k in enumerate(["crop", "mix", "upB", "upB1"]):
    out[f"onnx_{k}"] = diff(nchw(load(f"onnx{i}", shape(k))), ref[k])
# tfjs's own UpSampling2D rule (no half-pixel centres: output i samples the input at i/u, rows and columns):
# the values Convas's layer must not give
def axis(n, u):
    src = torch.arange(n * u, dtype=torch.float32) / u
    lo = src.floor().long().clamp(max=n - 1)
    return lo, (lo + 1).clamp(max=n - 1), src - src.floor()
lo, hi, lam = axis(5, 3)
rows = x[:, :, lo, :] * (1 - lam.view(1, 1, -1, 1)) + x[:, :, hi, :] * lam.view(1, 1, -1, 1)
lo, hi, lam = axis(7, 3)
legacy = rows[:, :, :, lo] * (1 - lam.view(1, 1, 1, -1)) + rows[:, :, :, hi] * lam.view(1, 1, 1, -1)
out["legacy_gap"] = diff(ref["upB3"], legacy)
out["max_abs"] = float(ref["upB"].abs().max())
print(json.dumps(out))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number>;
    console.log(`upsample2d/cropping2d vs F.interpolate and a slice: ${JSON.stringify(got)}`);
    expect(got.max_abs).toBeGreaterThan(0.5);
    // nearest and cropping move numbers: exact everywhere
    for (const k of ['tfjs_upN', 'tfjs_crop', 'torch_crop', 'onnx_crop', 'tfjs_upB1', 'torch_upB1', 'onnx_upB1']) expect(got[k], k).toBe(0);
    for (const k of ['tfjs_upB3', 'tfjs_upB', 'tfjs_mix', 'torch_mix', 'torch_upB', 'onnx_mix', 'onnx_upB']) expect(got[k], k).toBeLessThan(1e-5);
    expect(got.legacy_gap).toBeGreaterThan(0.05);
  }, 90_000);

  it('the tfjs export reloads in tfjs and reads back through the Keras import as the same nodes and outputs', async () => {
    const design = decoder();
    const rt = await tfjsRoundTrip(design, { seed: SEED, init: EVERY, inputShape: IN, inputSeed: 17 });
    const { layer } = rt;
    expect([layer('upB3').class_name, layer('upB3').config.interpolation, layer('crop').class_name, layer('crop').config.cropping])
      .toEqual(['UpSampling2D', 'bilinear', 'Cropping2D', [[1, 1], [2, 2]]]);
    expect(rt.reloaded).toEqual(rt.want);
    const pick = (d: Design) => d.nodes.map((n) => [n.id, n.kind, n.params]).sort((p, q) => String(p[0]).localeCompare(String(q[0])));
    expect(pick(rt.back)).toMatchObject(pick(design));
    const shapes = (d: Design) => Object.fromEntries(analyze(d).nodes.map((n) => [n.id, n.outputShape]));
    expect(shapes(rt.back)).toEqual(shapes(design));
    expect(rt.again).toEqual(rt.want);
  });

  it('the Keras import refuses an interpolation Convas does not compute and a crop of unequal sides, naming the layer', async () => {
    const compiled = compileDesign(decoder(), { seed: SEED });
    const { modelJson } = await serializeLayersModel(compiled.model, 'weights.bin');
    compiled.model.dispose();
    const tamper = (name: string, config: Record<string, unknown>) => {
      const json = JSON.parse(modelJson) as { modelTopology: { config: { layers: { name: string; config: Record<string, unknown> }[] } } };
      Object.assign(json.modelTopology.config.layers.find((l) => l.name === name)!.config, config);
      return json;
    };
    expect(() => importKeras(tamper('upB', { interpolation: 'bicubic' }))).toThrow(ImportError);
    expect(() => importKeras(tamper('upB', { interpolation: 'bicubic' })))
      .toThrow("layer 'upB': field 'interpolation': \"bicubic\" is not one Convas's upsample2d computes (nearest or bilinear)");
    expect(() => importKeras(tamper('crop', { cropping: [[1, 2], [2, 2]] })))
      .toThrow("layer 'crop': field 'cropping': unequal sides [[1,2],[2,2]] (Convas's cropping2d crops the same number from both sides)");
  });
});
