/**
 * `channelSlice` and `channelShuffle` (ShuffleNet v2, docs/design-format.md#layer-kinds) through every backend, on a
 * ShuffleNet v2 stride-1 unit (x.chunk(2, dim=1) as two slices → a branch on the second half → concat → shuffle
 * of 2) and on a flat vector: tfjs compiles them with the analysed shapes and no parameters; the PyTorch export,
 * onnxruntime and tfjs compute what torchvision's own `channel_shuffle` and `chunk` compute in a torch script; the
 * tfjs export (Keras's Reshape → Permute → Reshape for a shuffle, ConvasChannelSlice for a slice) reloads in tfjs
 * and reads back through the Keras import as the same nodes, next to a grouped convolution whose slices still fold.
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

const IN = [5, 6, 8];

/**
 * in [5, 6, 8] → a ShuffleNet v2 stride-1 unit: half1 = channels 0…3, half2 = channels 4…7 → 1×1 conv → 3×3
 * depthwise → 1×1 conv (the branch) → concat(half1, branch) → shuffle 2 (`shuf`), and a shuffle 4 of the same
 * concat (`shuf4`: groups ≠ C/groups both ways); in → global average pool [8] → shuffle 4 → channels 1…6
 * (`sliceFlat`). A grouped conv (`grp`, groups 2: the compiler's own slices) beside them.
 */
function shuffleUnit(): Design {
  const b = new DesignBuilder('shufflenet unit');
  b.input(IN);
  b.add('channelSlice', { size: 4 }, 'in', 'half1');
  b.add('channelSlice', { start: 4, size: 4 }, 'in', 'half2');
  b.add('conv2d', { filters: 4, kernelSize: 1, activation: 'relu' }, 'half2', 'b1');
  b.add('depthwiseConv2d', { kernelSize: 3, padding: 'same' }, 'b1', 'b2');
  b.add('conv2d', { filters: 4, kernelSize: 1, activation: 'relu' }, 'b2', 'b3');
  b.add('concat', {}, ['half1', 'b3'], 'unit');
  b.add('channelShuffle', { groups: 2 }, 'unit', 'shuf');
  b.add('channelShuffle', { groups: 4 }, 'unit', 'shuf4');
  b.add('globalAvgPool', {}, 'in', 'gap');
  b.add('channelShuffle', { groups: 4 }, 'gap', 'shufFlat');
  b.add('channelSlice', { start: 1, size: 6 }, 'shufFlat', 'sliceFlat');
  b.add('conv2d', { filters: 4, kernelSize: 1, groups: 2 }, 'shuf', 'grp');
  return b.design();
}

const SEED = 7;
const EVERY = { everyTensor: true };
const PROBES = ['half2', 'b3', 'grp', 'shuf4', 'sliceFlat'];

/** tfjs's outputs on a seeded input (−1..1): the input, and the probed nodes' outputs (channels-last). */
function runTfjs(design: Design) {
  const compiled = compileDesign(design, { seed: SEED, init: EVERY });
  const { input, outputs } = probeOutputs(compiled, PROBES, IN, 3);
  return { compiled, input, out: Object.fromEntries(PROBES.map((id, i) => [id, outputs[i]])) };
}

describe('channelSlice and channelShuffle (ShuffleNet v2) in every backend', () => {
  it('tfjs compiles them with the analysed shapes and no parameters', () => {
    const design = shuffleUnit();
    const a = analyze(design);
    expect(a.valid).toBe(true);
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect(['half1', 'half2', 'shuf', 'shufFlat', 'sliceFlat'].map((id) => [row(id).outputShape, row(id).params, row(id).macs]))
      .toEqual([[[5, 6, 4], 0, 0], [[5, 6, 4], 0, 0], [[5, 6, 8], 0, 0], [[8], 0, 0], [[6], 0, 0]]);
    const compiled = compileDesign(design, { seed: SEED });
    try {
      expect(compiled.model.countParams()).toBe(a.totals.params);
      for (const id of ['half1', 'shuf', 'shufFlat', 'sliceFlat']) {
        expect(compiled.outputsByNode.get(id)!.shape.slice(1), id).toEqual(row(id).outputShape);
      }
      // the shuffle is Keras's own layers: a reshape to [H, W, groups, C/groups], the swap, a reshape back
      const layers = compiled.model.layers.filter((l) => l.name.startsWith('shuf__') || l.name === 'shuf');
      expect(layers.map((l) => [l.getClassName(), l.outputShape])).toEqual([
        ['Reshape', [null, 5, 6, 2, 4]], ['Permute', [null, 5, 6, 4, 2]], ['Reshape', [null, 5, 6, 8]],
      ]);
    } finally {
      compiled.model.dispose();
    }
  });

  itWithPython(['torch', 'numpy'], "the PyTorch export, onnxruntime and tfjs compute what torchvision's channel_shuffle and x.chunk(2, dim=1) compute", async () => {
    const design = shuffleUnit();
    const { compiled, input, out } = runTfjs(design);
    const a = compiled.analysis;
    compiled.model.dispose();
    const state = torchStateDict(design, a, { seed: SEED, init: EVERY });
    const onnxOut = await runOnnx(toOnnx(design, { seed: SEED, init: EVERY, analysis: a }), [input]);
    expect(onnxOut.map((t) => t.shape)).toEqual([[1, 5, 6, 8], [1, 6], [1, 5, 6, 4]]); // shuf4, sliceFlat, grp
    const dir = torchFolder('shuffle', 'shuffle_unit', design, a, state, SEED, [
      ['x', input], ...PROBES.map((id): [string, Nhwc] => [id, out[id]]), ...onnxOut.map((t, i): [string, Nhwc] => [`onnx${i}`, t]),
      ['grp_w', state.get('grp.weight')!], ['grp_b', state.get('grp.bias')!],
    ]);
    // The reference is torchvision's shufflenetv2.py (channel_shuffle, InvertedResidual's chunk and cat), applied
    // to the input and to tfjs's branch output: only the slices, the concat and the shuffles are Convas's here.
    const script = `
import json, sys, numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
d = sys.argv[1]
def load(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))
nchw = lambda t: t.permute(0, 3, 1, 2)
def channel_shuffle(x, groups):  # torchvision/models/shufflenetv2.py
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batchsize, -1, height, width)
x = nchw(load("x", (1, 5, 6, 8)))
x1, x2 = x.chunk(2, dim=1)
unit = torch.cat((x1, nchw(load("b3", (1, 5, 6, 4)))), dim=1)
ref_shuf, ref_shuf4 = channel_shuffle(unit, 2), channel_shuffle(unit, 4)
ref_grp = F.conv2d(ref_shuf, load("grp_w", (4, 4, 1, 1)), load("grp_b", (4,)), groups=2)
gap = x.mean(dim=(2, 3))
ref_flat = channel_shuffle(gap.view(1, 8, 1, 1), 4).view(1, 8)[:, 1:7]
# the contract's rule, on channel numbers: output channel j·g + i is input channel i·(C/g) + j
idx = channel_shuffle(torch.arange(8.0).view(1, 8, 1, 1), 2).flatten().tolist()
rule = [0.0] * 8
for i in range(2):
    for j in range(4):
        rule[j * 2 + i] = float(i * 4 + j)
import shuffle_unit
m = shuffle_unit.load_convas_weights(shuffle_unit.Model(), f"{d}/w.json").eval()
with torch.no_grad():
    t_shuf4, t_flat, t_grp = m(x)
diff = lambda a, b: float((a - b).abs().max())
print(json.dumps({
    "params": sum(p.numel() for p in m.parameters()), "rule": idx == rule,
    "tfjs_half2": diff(nchw(load("half2", (1, 5, 6, 4))), x2),
    "torch_shuf4": diff(t_shuf4, ref_shuf4), "torch_flat": diff(t_flat, ref_flat), "torch_grp": diff(t_grp, ref_grp),
    "tfjs_shuf4": diff(nchw(load("shuf4", (1, 5, 6, 8))), ref_shuf4), "tfjs_flat": diff(load("sliceFlat", (1, 6)), ref_flat),
    "tfjs_grp": diff(nchw(load("grp", (1, 5, 6, 4))), ref_grp),
    "onnx_shuf4": diff(nchw(load("onnx0", (1, 5, 6, 8))), ref_shuf4), "onnx_flat": diff(load("onnx1", (1, 6)), ref_flat),
    "onnx_grp": diff(nchw(load("onnx2", (1, 5, 6, 4))), ref_grp),
    "max_abs": float(ref_grp.abs().max()),
}))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number | boolean>;
    console.log(`channelSlice/channelShuffle vs torchvision's channel_shuffle and chunk: ${JSON.stringify(got)}`);
    expect(got.params).toBe(a.totals.trainableParams);
    expect(got.rule).toBe(true);
    expect(got.max_abs).toBeGreaterThan(0.1);
    expect(got.tfjs_half2).toBe(0); // a slice moves numbers: exact
    for (const k of ['torch_shuf4', 'torch_flat', 'torch_grp', 'tfjs_shuf4', 'tfjs_flat', 'tfjs_grp', 'onnx_shuf4', 'onnx_flat', 'onnx_grp']) {
      expect(got[k], k).toBeLessThan(1e-5);
    }
  }, 90_000);

  it('the tfjs export reloads in tfjs and reads back through the Keras import: the same nodes, the grouped conv still folded, the same outputs', async () => {
    const design = shuffleUnit();
    const rt = await tfjsRoundTrip(design, { seed: SEED, init: EVERY, inputShape: IN, inputSeed: 17 });
    expect(['half2', 'shuf__groups', 'shuf__swap', 'shuf', 'grp__slice0'].map((name) => rt.layer(name).class_name))
      .toEqual(['ConvasChannelSlice', 'Reshape', 'Permute', 'Reshape', 'ConvasChannelSlice']);
    expect(rt.reloaded).toEqual(rt.want);
    const pick = (d: Design) => d.nodes.map((n) => [n.id, n.kind, n.params]).sort((p, q) => String(p[0]).localeCompare(String(q[0])));
    expect(pick(rt.back)).toMatchObject(pick(design)); // the import writes every param, defaults too
    expect(analyze(rt.back).totals).toEqual(analyze(design).totals);
    expect(rt.again).toEqual(rt.want);
  });

  /** The tfjs export of the unit, its layers to tamper with. */
  async function exported() {
    const compiled = compileDesign(shuffleUnit(), { seed: SEED });
    const { modelJson } = await serializeLayersModel(compiled.model, 'weights.bin');
    compiled.model.dispose();
    const json = JSON.parse(modelJson) as { modelTopology: { config: { layers: { class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[] } } };
    const layer = (name: string) => json.modelTopology.config.layers.find((l) => l.name === name)!;
    return { json, layer };
  }

  it('refuses by name a shuffle whose Permute is not the swap, or whose reshapes are not a shuffle of its input', async () => {
    const swapped = await exported();
    swapped.layer('shuf__swap').config.dims = [2, 1, 3, 4];
    expect(() => importKeras(swapped.json)).toThrow(ImportError);
    expect(() => importKeras(swapped.json)).toThrow("layer 'shuf__swap': field 'dims': [2,1,3,4] between reshapes to [5,6,2,4] and [5,6,8] is not the swap of the last two axes a channel shuffle writes");
    const split = await exported();
    split.layer('shuf__groups').config.target_shape = [6, 5, 2, 4];
    expect(() => importKeras(split.json)).toThrow("layer 'shuf': reshapes to [6,5,2,4] and [5,6,8] around 'shuf__swap' are not a channel shuffle of its [batch, 5, 6, 8] input ([5,6,2,4], then back)");
  });

  it('refuses a Permute outside a shuffle Convas wrote, and a ConvasChannelSlice past its channels', async () => {
    // Keras's Sequential of one Permute (keras.layers.Permute((2, 1)) on [4, 6]): a transpose Convas cannot draw
    const lone = { class_name: 'Sequential', config: { name: 'perm', layers: [{ class_name: 'Permute', config: { name: 'permute', dims: [2, 1], batch_input_shape: [null, 4, 6] } }] } };
    expect(() => importKeras(lone)).toThrow("layer 'permute': a Permute [2,1] outside a channel shuffle Convas wrote (Reshape '<id>__groups' → Permute '<id>__swap' → Reshape '<id>'): Convas has no general transpose");
    const past = await exported();
    past.layer('half2').config.begin = 5;
    expect(() => importKeras(past.json)).toThrow("layer 'half2': fields 'begin'/'size': channels 5…8 run past the 8 channels of its [batch, 5, 6, 8] input");
  });
});
