/**
 * The ONNX reader against its references: models exported by PyTorch's own `torch.onnx.export`
 * (scripts/export_onnx_models.py: torchvision networks with weights=None and seeded batch-norm statistics, and small
 * modules for the spelled-out operators), imported here. Checked against the file and PyTorch, never against
 * Convas: the design's parameters equal the weight elements the `onnx` package counts in the file, its output
 * shapes equal PyTorch's, and the design exported back to ONNX with the imported weights (through the tfjs model
 * they compile into, the path of `import --weights-out` then `export --weights-from`) gives the original file's
 * outputs in onnxruntime on the same input (≤ 1e-4 · max |output|). Refusals are one line per node.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, outputNodes, type Design } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import { compileDesign, compiledNodeWeights } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toOnnx } from '../export/onnx.ts';
import { torchStateDict } from '../export/torch-layout.ts';
import { importOnnx } from './onnx-import.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { maxDifference, runOnnx, type Nhwc } from '../../../test/support/onnx-runtime.ts';

/**
 * The default suite: small enough to run in a minute or two on a shared machine, wide enough to hold every rule: a
 * classic network folded and kept, the mobile ones (hard-swish, SE gates, swish, channel shuffle and split),
 * ConvNeXt's block at opset 14 (LayerNorm and GELU spelled out) and 17 (LayerNormalization), a small U-Net
 * (ConvTranspose k2 s2 and k3 s2 p1 op1, nearest and bilinear Resize by scales and by sizes, a crop) at opset 11
 * (Resize's roi and scales as empty constants) and 13 (left out), a model with two outputs, one feeding the other,
 * and one segmentation model, LR-ASPP. `CONVAS_ONNX_MODELS` (space-separated `name[:opset][:kept]`) runs others:
 * fcn_resnet50, deeplabv3_mobilenet_v3_large, unet:17, efficientnet_b0, resnet50, convnext_tiny…
 */
const MODELS = (process.env.CONVAS_ONNX_MODELS ?? 'small small:11 resnet18 resnet18::kept mobilenet_v3_small convnext_block:14 convnext_block:17 shufflenet_v2_x0_5 unet:11 unet two_outputs lraspp_mobilenet_v3_large').split(/\s+/).filter(Boolean);

const stemOf = (spec: string) => {
  const [name, opset, kept] = spec.split(':');
  return `${name}_o${opset || 13}${kept === 'kept' ? '_kept' : ''}`;
};

let dir = '';
beforeAll(async () => {
  await setupNodeBackend('wasm');
});

/** Exports every model of the run once (a temp dir per test run). */
function exported(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'convas-onnx-'));
    execFileSync(PYTHON, ['scripts/export_onnx_models.py', dir, ...MODELS], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  }
  return dir;
}

/**
 * The design, its weights put into the compiled model and exported back to ONNX, gives `original`'s outputs in
 * onnxruntime on one seeded input of `shape` (channels-last with the batch): each output within 1e-4 of its scale.
 */
async function expectSameOutputs(original: Uint8Array, design: Design, weights: Map<string, NodeWeights>, shape: number[]): Promise<void> {
  const a = analyze(design);
  const compiled = compileDesign(design, { weights });
  let back: Uint8Array;
  try {
    const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
    back = toOnnx(design, { weights: state, analysis: a });
  } finally {
    compiled.model.dispose();
  }
  const x = seededInput(shape);
  const want = await runOnnx(original, [x]);
  const got = await runOnnx(back, [x]);
  expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
  // each output against its own scale
  want.forEach((_, k) => {
    const { maxDiff, maxAbs } = maxDifference([got[k]], [want[k]]);
    expect(maxAbs).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThanOrEqual(1e-4 * maxAbs);
  });
}

/** A seeded input in −1..1, channels-last with the batch. */
function seededInput(shape: number[]): Nhwc {
  let s = 12345;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
  return { shape, data };
}

describe('ONNX import of torch.onnx.export models', () => {
  for (const spec of MODELS) {
    itWithPython(['torch', 'torchvision', 'onnx'], `${spec}: totals, output shapes and outputs in onnxruntime`, async () => {
      const stem = join(exported(), stemOf(spec));
      const bytes = new Uint8Array(readFileSync(`${stem}.onnx`));
      const meta = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as { input: number[]; outputs: number[][]; onnxWeightUses: number };
      const { design, weights, refusals } = importOnnx(bytes);
      expect(refusals).toEqual([]);
      const a = analyze(design);
      expect(a.errors).toEqual([]);
      // per use: the exporter shares equal initializers between layers (see scripts/export_onnx_models.py)
      expect(a.totals.params).toBe(meta.onnxWeightUses);
      const outs = outputNodes(design).map((n) => a.nodes.find((m) => m.id === n.id)!.outputShape);
      expect(outs).toEqual(meta.outputs.map(([, c, h, w]) => (w === undefined ? [c] : [h, w, c])));

      const [n, ci, hi, wi] = meta.input;
      await expectSameOutputs(bytes, design, weights, [n, hi, wi, ci]);
    }, 600_000);
  }

  itWithPython(['torch', 'torchvision', 'onnx'], 'names nodes by their modules and groups the blocks', () => {
    const { design } = importOnnx(new Uint8Array(readFileSync(join(exported(), `${stemOf('resnet18::kept')}.onnx`))));
    const ids = design.nodes.map((n) => n.id);
    expect(ids).toContain('layer1.0.conv1');
    expect(ids).toContain('layer2.0.downsample.0');
    expect(ids).toContain('layer1.0.relu_1');
    expect(ids).toContain('fc');
    expect(design.groups?.map((g) => g.id)).toEqual(['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1']);
    expect(design.groups?.every((g) => g.kind === 'residual')).toBe(true);
    expect(design.nodes.filter((n) => n.group === 'layer2.0').map((n) => n.id)).toEqual([
      'layer2.0.conv1', 'layer2.0.bn1', 'layer2.0.relu', 'layer2.0.conv2', 'layer2.0.bn2',
      'layer2.0.downsample.0', 'layer2.0.downsample.1', 'layer2.0.add', 'layer2.0.relu_1',
    ]);
  }, 600_000);

  itWithPython(['torch', 'torchvision', 'onnx'], 'reads a U-Net\'s decoder as its kinds: transposed convs, upsampling by scales and sizes, one crop', () => {
    const { design } = importOnnx(new Uint8Array(readFileSync(join(exported(), `${stemOf('unet:11')}.onnx`))));
    const decoder = design.nodes.filter((n) => ['conv2dTranspose', 'upsample2d', 'cropping2d'].includes(n.kind)).map((n) => [n.id, n.params]);
    expect(decoder).toEqual([
      // nn.ConvTranspose2d(32, 16, 2, stride=2) and (16, 8, 3, stride=2, padding=1, output_padding=1)
      ['up1', { filters: 16, kernelSize: [2, 2], strides: [2, 2], padding: 'valid', outputPadding: [0, 0], useBias: true, activation: 'linear' }],
      ['up2', { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: [1, 1], outputPadding: [1, 1], useBias: true, activation: 'linear' }],
      // F.interpolate(scale_factor=4, nearest); nn.Upsample(scale_factor=2, bilinear); F.interpolate(size=…, bilinear)
      ['resize', { size: [4, 4], interpolation: 'nearest' }],
      ['lin', { size: [2, 2], interpolation: 'bilinear' }],
      ['resize_1', { size: [2, 2], interpolation: 'bilinear' }],
      // y[:, :, 2:-2, 3:-3]: one Slice per axis, one layer
      ['slice_1', { cropping: [2, 3] }],
    ]);
  }, 600_000);

  itWithPython(['torch', 'torchvision', 'onnx'], 'writes the outputs list where an output also feeds another', () => {
    // forward returns (conv2(f), f) with f = relu(conv1(x)): only conv2 feeds nothing
    const { design } = importOnnx(new Uint8Array(readFileSync(join(exported(), `${stemOf('two_outputs')}.onnx`))));
    expect(design.outputs).toEqual(['conv2', 'relu']);
    const { design: single } = importOnnx(new Uint8Array(readFileSync(join(exported(), `${stemOf('unet:11')}.onnx`))));
    expect(single.outputs).toBeUndefined();
  }, 600_000);
});

const { onnx } = onnxProto;

type Attribute = ReturnType<typeof onnx.AttributeProto.create>;
type Tensor = ReturnType<typeof onnx.TensorProto.create>;

/**
 * A one-node model over an NCHW input of `shape` (the refusals' and decoder operators' fixture): `op` with `attrs`,
 * inputs `x` and `extra` ('' leaves an optional input out), and initializers. The output's shape is left to the
 * runtime, so onnxruntime runs the file as it is.
 */
function oneNode(op: string, shape: number[], attribute: Attribute[] = [], extra: string[] = [], inits: Tensor[] = []): Uint8Array {
  const vi = (name: string, dims: number[] | null) => onnx.ValueInfoProto.create({
    name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, ...(dims ? { shape: { dim: dims.map((d) => ({ dimValue: d })) } } : {}) } },
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [onnx.NodeProto.create({ opType: op, name: `/block/${op}`, input: ['x', ...extra], output: ['y'], attribute })],
      input: [vi('x', shape)], output: [vi('y', null)], initializer: inits,
    },
  })).finish();
}

describe('ONNX import refusals', () => {
  it('names the node and its operator, one line each, for operators without a kind', () => {
    const r = importOnnx(oneNode('Cos', [1, 3, 8, 8]));
    expect(r.refusals).toEqual(['/block/Cos (Cos): Convas has no kind for this operator']);
  });

  it('refuses a setting Convas cannot express, naming it', () => {
    const hs = importOnnx(oneNode('HardSigmoid', [1, 3, 8, 8], [onnx.AttributeProto.create({ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.2 })]));
    expect(hs.refusals).toHaveLength(1);
    expect(hs.refusals[0]).toMatch(/^\/block\/HardSigmoid \(HardSigmoid\): HardSigmoid with alpha 0\.2 and beta 0\.5/);
  });

  it('reads a dynamic-size input as a refusal, not a guess', () => {
    const r = importOnnx(oneNode('Relu', [1, 3, 0, 0]));
    expect(r.refusals[0]).toMatch(/^x \(input\): input of shape \[1, 3, \?, \?\]/);
  });

  it('says a file is not an ONNX model', () => {
    expect(() => importOnnx(new TextEncoder().encode('{"format": "convas.design"}'))).toThrow(/not an ONNX model/);
  });
});

const AT = onnx.AttributeProto.AttributeType;
const intsAttr = (name: string, ints: number[]): Attribute => onnx.AttributeProto.create({ name, type: AT.INTS, ints });
const intAttr = (name: string, i: number): Attribute => onnx.AttributeProto.create({ name, type: AT.INT, i });
const strAttr = (name: string, v: string): Attribute => onnx.AttributeProto.create({ name, type: AT.STRING, s: new TextEncoder().encode(v) });
const floats = (name: string, dims: number[], data: number[]): Tensor => onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: data });
const int64s = (name: string, data: number[]): Tensor => onnx.TensorProto.create({ name, dims: [data.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: data });
/** `n` seeded values in −1..1 (a weight the reader must place right). */
const seeded = (n: number) => Array.from(seededInput([n]).data);

/** Resize of `[1, 3, 8, 8]` by `scales` (or to `sizes`) with these attributes. */
const resize = (attrs: Attribute[], scales: number[] | null, sizes: number[] | null = null) => oneNode('Resize', [1, 3, 8, 8], attrs,
  ['', scales ? 'scales' : '', ...(sizes ? ['sizes'] : [])], [...(scales ? [floats('scales', [4], scales)] : []), ...(sizes ? [int64s('sizes', sizes)] : [])]);
/** ConvTranspose of `[1, 3, 8, 8]` into 4 channels, kernel `k`×`k`, with seeded weights and bias. */
const convT = (k: number, attrs: Attribute[]) => oneNode('ConvTranspose', [1, 3, 8, 8], [intsAttr('kernel_shape', [k, k]), ...attrs],
  ['w', 'b'], [floats('w', [3, 4, k, k], seeded(3 * 4 * k * k)), floats('b', [4], seeded(4))]);
/** Slice of `[1, 3, 8, 8]`. */
const slice = (starts: number[], ends: number[], axes: number[]) => oneNode('Slice', [1, 3, 8, 8], [], ['starts', 'ends', 'axes'],
  [int64s('starts', starts), int64s('ends', ends), int64s('axes', axes)]);

describe('ONNX import of the decoder operators, against onnxruntime on the original node', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  const accepted: [string, Uint8Array, string, Record<string, unknown>][] = [
    ['nearest by scales (PyTorch: asymmetric, floor)', resize([strAttr('mode', 'nearest'), strAttr('coordinate_transformation_mode', 'asymmetric'), strAttr('nearest_mode', 'floor')], [1, 1, 2, 3]),
      'upsample2d', { size: [2, 3], interpolation: 'nearest' }],
    ['nearest at half-pixel centres rounding up (TensorFlow\'s), ×3', resize([strAttr('mode', 'nearest'), strAttr('coordinate_transformation_mode', 'half_pixel'), strAttr('nearest_mode', 'round_prefer_ceil')], [1, 1, 3, 3]),
      'upsample2d', { size: [3, 3], interpolation: 'nearest' }],
    ['linear to sizes (pytorch_half_pixel)', resize([strAttr('mode', 'linear'), strAttr('coordinate_transformation_mode', 'pytorch_half_pixel')], null, [1, 3, 16, 24]),
      'upsample2d', { size: [2, 3], interpolation: 'bilinear' }],
    ['ConvTranspose k4 s2 p1 (DCGAN\'s)', convT(4, [intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1])]),
      'conv2dTranspose', { kernelSize: [4, 4], strides: [2, 2], padding: [1, 1], outputPadding: [0, 0] }],
    ['ConvTranspose k3 s2, one row and column cut at the end (TensorFlow\'s same)', convT(3, [intsAttr('strides', [2, 2]), intsAttr('pads', [0, 0, 1, 1])]),
      'conv2dTranspose', { kernelSize: [3, 3], strides: [2, 2], padding: 'same', outputPadding: [0, 0] }],
    ['ConvTranspose k3 s2, one row cropped before only (p 1, output_padding 1)', convT(3, [intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 0, 0])]),
      'conv2dTranspose', { kernelSize: [3, 3], strides: [2, 2], padding: [1, 1], outputPadding: [1, 1] }],
    ['Slice of H and W alike at both ends', slice([2, 1], [6, 7], [2, 3]), 'cropping2d', { cropping: [2, 1] }],
  ];
  for (const [what, bytes, kind, params] of accepted) {
    it(`${what}: ${kind}, the same values`, async () => {
      const { design, weights, refusals } = importOnnx(bytes);
      expect(refusals).toEqual([]);
      const node = design.nodes.find((n) => n.kind === kind)!;
      expect(node.params).toMatchObject(params);
      await expectSameOutputs(bytes, design, weights, [1, 8, 8, 3]);
    }, 60_000);
  }

  it('refuses, one line per node, what is not exact', () => {
    const line = (bytes: Uint8Array) => {
      const r = importOnnx(bytes);
      expect(r.refusals).toHaveLength(1);
      return r.refusals[0];
    };
    expect(line(resize([strAttr('mode', 'cubic')], [1, 1, 2, 2]))).toBe('/block/Resize (Resize): cubic interpolation: Convas upsamples nearest or bilinear');
    expect(line(resize([strAttr('mode', 'linear'), strAttr('coordinate_transformation_mode', 'align_corners')], [1, 1, 2, 2])))
      .toMatch(/^\/block\/Resize \(Resize\): bilinear with align_corners=True/);
    expect(line(resize([strAttr('mode', 'linear'), strAttr('coordinate_transformation_mode', 'asymmetric')], [1, 1, 2, 2])))
      .toMatch(/linear with coordinate_transformation_mode asymmetric/);
    expect(line(resize([strAttr('mode', 'nearest')], [1, 1, 1.5, 1.5]))).toMatch(/scales \[1\.5,1\.5\]: Convas upsamples by whole factors/);
    expect(line(resize([strAttr('mode', 'nearest')], null, [1, 3, 12, 16]))).toMatch(/sizes 12×16 from 8×8: Convas upsamples by whole factors/);
    expect(line(resize([strAttr('mode', 'nearest')], [1, 2, 2, 2]))).toMatch(/a resize of the batch or channels/);
    // ONNX's default rounding at asymmetric coordinates reads ⌊i/u⌋ for u = 2 but not for u = 3 (pixel 2 rounds to 1)
    expect(importOnnx(resize([strAttr('mode', 'nearest'), strAttr('coordinate_transformation_mode', 'asymmetric')], [1, 1, 2, 2])).refusals).toEqual([]);
    expect(line(resize([strAttr('mode', 'nearest'), strAttr('coordinate_transformation_mode', 'asymmetric')], [1, 1, 3, 3])))
      .toMatch(/nearest with coordinate_transformation_mode asymmetric and nearest_mode round_prefer_floor/);
    expect(line(convT(3, [intAttr('group', 3)]))).toMatch(/^\/block\/ConvTranspose \(ConvTranspose\): a transposed convolution in 3 groups/);
    expect(line(convT(3, [intsAttr('dilations', [2, 2])]))).toMatch(/with dilation 2×2/);
    expect(line(convT(3, [intsAttr('strides', [2, 2]), intsAttr('pads', [0, 0, 2, 2])]))).toMatch(/pads \[0,0,2,2\] with output_padding \[0,0\]: Convas crops both ends alike/);
    expect(line(slice([1], [8], [2]))).toBe('/block/Slice (Slice): a crop of 1, 0 before and 0, 0 after: Convas crops each side alike (cropping2d)');
  });

  it('refuses a map in the channels-last layout as a model output', () => {
    const r = importOnnx(oneNode('Transpose', [1, 3, 8, 8], [intsAttr('perm', [0, 2, 3, 1])]));
    expect(r.refusals).toEqual(['y (output): a map in the channels-last layout [1, H, W, C] (after a permute) is a model output; Convas\'s models give maps as [1, C, H, W]']);
  });
});
