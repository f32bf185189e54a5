/**
 * The `conv2dTranspose` kind (docs/design-format.md#transposed-convolution) through every backend, against a
 * reference written apart from Convas: a torch script that takes each node's Keras-layout kernel
 * [kh, kw, filters, Cin], runs `F.conv_transpose2d` without padding (the full output), and crops or zero-extends it
 * as the contract words it (explicit p: drop p, keep (in − 1)·s − 2p + k + outputPadding; valid: p = 0; same: drop
 * ⌊max(k − s, 0)/2⌋, keep in·s), then adds the bias and the activation. tfjs (wasm and cpu), the PyTorch export and
 * ONNX Runtime must compute it; the analysed shapes, parameters and MACs must be what torch's module holds and what
 * a count of the taps gives; the tfjs export reloads and reads back through the Keras import; Keras's own
 * `Conv2DTranspose` configs import as what Keras computes, or are refused naming the field.
 */

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { nodeInitialWeights } from '../../engine/initial-weights.ts';
import { resolve } from '../../engine/resolve.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
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

const IN = [5, 6, 3];
/** Every crop rule: same with k − s odd, even and k < s; valid with k = s and k < s; explicit crops with output padding below and above the crop. */
const CASES: [string, Record<string, unknown>][] = [
  ['sameOdd', { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }],
  ['sameEven', { filters: 2, kernelSize: 4, strides: 2, padding: 'same' }],
  ['sameSparse', { filters: 2, kernelSize: [1, 2], strides: 3, padding: 'same' }],
  ['validEq', { filters: 3, kernelSize: 2, strides: 2 }],
  ['validSparse', { filters: 2, kernelSize: 2, strides: 3, activation: 'tanh' }],
  ['cropOp', { filters: 3, kernelSize: [3, 4], strides: 2, padding: 1, outputPadding: [1, 0], useBias: false }],
  ['extend', { filters: 2, kernelSize: 3, strides: [2, 3], padding: [0, 1], outputPadding: [1, 2] }],
  ['wide', { filters: 2, kernelSize: 5, strides: 2, padding: 2, outputPadding: 1, activation: 'swish' }],
  ['stride1', { filters: 2, kernelSize: 3, padding: 1 }],
];
const IDS = CASES.map(([id]) => id);

/** in [5, 6, 3] → each case (every one an output). */
function transposed(): Design {
  const b = new DesignBuilder('transposed convolutions');
  b.input(IN);
  for (const [id, params] of CASES) b.add('conv2dTranspose', params, 'in', id);
  return b.design();
}

const SEED = 3;
const EVERY = { everyTensor: true }; // biases drawn at random too, so the zero-extended rows' bias shows

function tfjsOutputs(design: Design): { input: Nhwc; outputs: Nhwc[] } {
  const compiled = compileDesign(design, { seed: SEED, init: EVERY });
  try {
    return probeOutputs(compiled, IDS, IN, 11);
  } finally {
    compiled.model.dispose();
  }
}

describe('conv2dTranspose in every backend', () => {
  it('tfjs compiles it with the analysed shapes and parameter counts', () => {
    const design = transposed();
    const a = analyze(design);
    expect(a.valid).toBe(true);
    const shape = (id: string) => a.nodes.find((n) => n.id === id)!.outputShape;
    // worked by hand from the contract: (in − 1)·s − 2p + k + op, or in·s for same
    expect(IDS.map(shape)).toEqual([[10, 12, 4], [10, 12, 2], [15, 18, 2], [10, 12, 3], [14, 17, 2], [10, 12, 3], [12, 18, 2], [10, 12, 2], [5, 6, 2]]);
    const compiled = compileDesign(design, { seed: SEED });
    try {
      expect(compiled.model.countParams()).toBe(a.totals.params);
      expect(compiled.model.outputs.map((o) => o.shape.slice(1))).toEqual(IDS.map(shape));
      // Keras's own layer where it computes the kind, Convas's where it does not
      expect(IDS.map((id) => compiled.model.getLayer(id).getClassName())).toEqual([
        'Conv2DTranspose', 'Conv2DTranspose', 'Conv2DTranspose', 'Conv2DTranspose',
        'ConvasConv2DTranspose', 'ConvasConv2DTranspose', 'ConvasConv2DTranspose', 'ConvasConv2DTranspose', 'ConvasConv2DTranspose',
      ]);
    } finally {
      compiled.model.dispose();
    }
  });

  itWithPython(['torch', 'numpy'], "tfjs (wasm and cpu), the PyTorch export and ONNX Runtime compute torch's own crop of the full transposed output; shapes, parameters and MACs are torch's", async () => {
    const design = transposed();
    const a = analyze(design);
    const wasm = tfjsOutputs(design);
    await setupNodeBackend('cpu');
    let cpu: { input: Nhwc; outputs: Nhwc[] };
    try {
      cpu = tfjsOutputs(design);
    } finally {
      await setupNodeBackend('wasm');
    }
    const onnxOut = await runOnnx(toOnnx(design, { seed: SEED, init: EVERY, analysis: a }), [wasm.input]);
    const state = torchStateDict(design, a, { seed: SEED, init: EVERY });
    const r = resolve(design);
    const tensors: [string, { data: Float32Array }][] = [['x', wasm.input]];
    for (const [k, id] of IDS.entries()) {
      const w = nodeInitialWeights(r.byId.get(id)!, SEED, EVERY); // Keras layout [kh, kw, filters, Cin]: not the export's
      tensors.push([`k_${id}`, w.kernel!], [`tfjs_${id}`, wasm.outputs[k]], [`cpu_${id}`, cpu.outputs[k]], [`onnx_${id}`, onnxOut[k]]);
      if (w.bias) tensors.push([`b_${id}`, w.bias]);
    }
    const dir = torchFolder('convT', 'transposed', design, a, state, SEED, tensors);
    const script = `
import json, sys, numpy as np, torch
import torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
d, cases, cin = sys.argv[1], json.loads(sys.argv[2]), 3
def load(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))
nchw = lambda t: t.permute(0, 3, 1, 2)
pair = lambda v: [v, v] if isinstance(v, int) else list(v)
x = nchw(load("x", (1, 5, 6, 3)))
ACT = {"linear": lambda t: t, "relu": F.relu, "tanh": torch.tanh, "swish": F.silu}
def axis(n, k, s, pad, op):
    if pad == "same":
        return max(k - s, 0) // 2, n * s
    c = 0 if pad == "valid" else pad
    return c, (n - 1) * s + k - 2 * c + op
refs, shapes, macs = {}, {}, {}
for nid, p in cases:
    (kh, kw), (sh, sw) = pair(p["kernelSize"]), pair(p.get("strides", 1))
    f, (oph, opw), pad = p["filters"], pair(p.get("outputPadding", 0)), p.get("padding", "valid")
    ph, pw = (pad, pad) if isinstance(pad, str) else pair(pad)
    k = load(f"k_{nid}", (kh, kw, f, cin)).permute(3, 2, 0, 1)  # [Cin, filters, kh, kw]
    full = F.conv_transpose2d(x, k, None, (sh, sw))
    (ch, oh), (cw, ow) = axis(5, kh, sh, ph, oph), axis(6, kw, sw, pw, opw)
    y = F.pad(full, (0, max(cw + ow - full.shape[3], 0), 0, max(ch + oh - full.shape[2], 0)))[:, :, ch:ch + oh, cw:cw + ow]
    if p.get("useBias", True):
        y = y + load(f"b_{nid}", (f,)).view(1, -1, 1, 1)
    refs[nid] = ACT[p.get("activation", "linear")](y)
    shapes[nid] = list(refs[nid].shape[2:]) + [f]
    # MACs: every input pixel meets every tap once; counted by summing an all-ones full output
    ones = F.conv_transpose2d(torch.ones(1, 1, 5, 6), torch.ones(1, 1, kh, kw), None, (sh, sw))
    macs[nid] = int(ones.sum()) * cin * f
import transposed
m = transposed.load_convas_weights(transposed.Model(), f"{d}/w.json").eval()
with torch.no_grad():
    outs = dict(zip([c[0] for c in cases], m(x)))
diff = lambda a, b: float((a - b).abs().max())
print(json.dumps({
    "params": sum(p.numel() for p in m.parameters()), "shapes": shapes, "macs": macs,
    "weights": {nid: list(getattr(m, nid).weight.shape) for nid, _ in cases if hasattr(m, nid)},
    "torch": max(diff(outs[n], refs[n]) for n in refs),
    "tfjs": max(diff(nchw(load(f"tfjs_{n}", tuple([1] + shapes[n]))), refs[n]) for n in refs),
    "cpu": max(diff(nchw(load(f"cpu_{n}", tuple([1] + shapes[n]))), refs[n]) for n in refs),
    "onnx": max(diff(nchw(load(f"onnx_{n}", tuple([1] + shapes[n]))), refs[n]) for n in refs),
    "max_abs": min(float(refs[n].abs().max()) for n in refs),
}))
`;
    const run = spawnSync(PYTHON, ['-c', script, dir, JSON.stringify(CASES)], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const got = JSON.parse(run.stdout) as { params: number; shapes: Record<string, number[]>; macs: Record<string, number>; torch: number; tfjs: number; cpu: number; onnx: number; max_abs: number };
    console.log(`conv2dTranspose vs torch's own crop of the full output: torch ${got.torch}, tfjs wasm ${got.tfjs}, tfjs cpu ${got.cpu}, onnxruntime ${got.onnx}`);
    expect(got.params).toBe(a.totals.trainableParams);
    for (const id of IDS) {
      const row = a.nodes.find((n) => n.id === id)!;
      expect([row.outputShape, row.macs], id).toEqual([got.shapes[id], got.macs[id]]);
    }
    expect(got.max_abs).toBeGreaterThan(0.1);
    for (const k of ['torch', 'tfjs', 'cpu', 'onnx'] as const) expect(got[k], k).toBeLessThan(1e-5);
  }, 120_000);

  it('the tfjs export reloads in tfjs and reads back through the Keras import as the same nodes, with the same outputs', async () => {
    const design = transposed();
    const rt = await tfjsRoundTrip(design, { seed: SEED, init: EVERY, inputShape: IN, inputSeed: 17 });
    expect(rt.reloaded).toEqual(rt.want);
    const resolved = (d: Design) => new Map([...resolve(d).byId].filter(([, n]) => n.kind === 'conv2dTranspose').map(([id, n]) => [id, n.params]));
    expect(resolved(rt.back)).toEqual(resolved(design));
    expect(analyze(rt.back).totals).toEqual(analyze(design).totals);
    expect(rt.again).toEqual(rt.want);
  });
});

/** A Keras 2 (tf.keras) functional model: an input [None, 7, 7, 8] and one Conv2DTranspose with `config`. */
function kerasModel(config: Record<string, unknown>): unknown {
  return {
    class_name: 'Functional', keras_version: '2.15.0',
    config: {
      name: 'm',
      layers: [
        { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, 7, 7, 8], name: 'x' }, inbound_nodes: [] },
        { class_name: 'Conv2DTranspose', name: 'up', config: { name: 'up', filters: 4, kernel_size: [3, 3], strides: [2, 2], use_bias: true, activation: 'linear', ...config }, inbound_nodes: [[['x', 0, 0, {}]]] },
      ],
      input_layers: [['x', 0, 0]], output_layers: [['up', 0, 0]],
    },
  };
}

describe("Keras's Conv2DTranspose imports as what Keras computes", () => {
  const imported = (config: Record<string, unknown>) => {
    const d = importKeras(kerasModel(config));
    const node = d.nodes.find((n) => n.kind === 'conv2dTranspose')!;
    return { params: node.params, shape: analyze(d).nodes.find((n) => n.id === node.id)!.outputShape };
  };

  // Keras's output lengths (keras/src/utils/conv_utils.py deconv_output_length), worked by hand for in 7, stride 2
  it('same (in·s) and valid with k ≥ s ((in − 1)·s + k) are the kind\'s own', () => {
    expect(imported({ padding: 'same' })).toEqual({ params: expect.objectContaining({ padding: 'same' }), shape: [14, 14, 4] });
    expect(imported({ padding: 'valid' })).toEqual({ params: expect.objectContaining({ padding: 'valid', outputPadding: 0 }), shape: [15, 15, 4] });
  });

  it("valid with k < s is in·s in Keras, Convas's valid zero-extended by s − k", () => {
    expect(imported({ padding: 'valid', kernel_size: 1, strides: 3 })).toEqual({ params: expect.objectContaining({ padding: 'valid', outputPadding: 2 }), shape: [21, 21, 4] });
  });

  it('output_padding: valid is exact; same with an even one is a crop of ⌊k/2⌋ − op/2', () => {
    expect(imported({ padding: 'valid', output_padding: 1 })).toEqual({ params: expect.objectContaining({ padding: 'valid', outputPadding: 1 }), shape: [16, 16, 4] });
    // k 5, s 3, op 2, same: Keras's length (7 − 1)·3 + 5 − 4 + 2 = 21 = in·s, TensorFlow's crop ⌊(5 − 3)/2⌋ = 1: Convas's same
    expect(imported({ padding: 'same', kernel_size: 5, strides: 3, output_padding: 2 })).toEqual({ params: expect.objectContaining({ padding: 'same' }), shape: [21, 21, 4] });
    // k 5, s 3, op 0: length 19, crop 2 at the start and 2 at the end: PyTorch's padding 2
    expect(imported({ padding: 'same', kernel_size: 5, strides: 3, output_padding: 0 })).toEqual({ params: expect.objectContaining({ padding: 2, outputPadding: 0 }), shape: [19, 19, 4] });
  });

  it('an uneven crop, dilation, and output_padding not below the stride are refused, naming the layer and field', () => {
    // k 4, s 3, same, op 1: length (7 − 1)·3 + 4 − 4 + 1 = 19, crop ⌊(4 − 1)/2⌋ = 1 before and 2 after
    expect(() => imported({ padding: 'same', kernel_size: 4, strides: 3, output_padding: 1 })).toThrow(ImportError);
    expect(() => imported({ padding: 'same', kernel_size: 4, strides: 3, output_padding: 1 })).toThrow(/layer 'up': field 'output_padding': 1 with padding "same", kernel \[4,4\] and strides \[3,3\] crops the full output unevenly/);
    expect(() => imported({ dilation_rate: 2 })).toThrow("layer 'up': field 'dilation_rate': 2 (Convas's conv2dTranspose has no dilation)");
    expect(() => imported({ output_padding: 2 })).toThrow("layer 'up': field 'output_padding': 2 is not smaller than the strides [2,2]");
  });
});
