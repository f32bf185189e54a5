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
import { analyze, outputNodes } from '../../engine/index.ts';
import { compileDesign, compiledNodeWeights } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toOnnx } from '../export/onnx.ts';
import { torchStateDict } from '../export/torch-layout.ts';
import { importOnnx } from './onnx-import.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { maxDifference, runOnnx, type Nhwc } from '../../../test/support/onnx-runtime.ts';

/**
 * The default suite: small enough to run in a minute on a shared machine, wide enough to hold every rule: a
 * classic network folded and kept, the mobile ones (hard-swish, SE gates, swish, channel shuffle and split), and
 * ConvNeXt's block at opset 14 (LayerNorm and GELU spelled out) and 17 (LayerNormalization). `CONVAS_ONNX_MODELS`
 * (space-separated `name[:opset][:kept]`) runs others (efficientnet_b0, resnet50, convnext_tiny…).
 */
const MODELS = (process.env.CONVAS_ONNX_MODELS ?? 'small small:11 resnet18 resnet18::kept mobilenet_v3_small convnext_block:14 convnext_block:17 shufflenet_v2_x0_5').split(/\s+/).filter(Boolean);

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
      const meta = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as { input: number[]; output: number[]; onnxWeightUses: number };
      const { design, weights, refusals } = importOnnx(bytes);
      expect(refusals).toEqual([]);
      const a = analyze(design);
      expect(a.errors).toEqual([]);
      // per use: the exporter shares equal initializers between layers (see scripts/export_onnx_models.py)
      expect(a.totals.params).toBe(meta.onnxWeightUses);
      const outs = outputNodes(design).map((n) => a.nodes.find((m) => m.id === n.id)!.outputShape);
      const [, c, h, w] = meta.output;
      expect(outs).toEqual([meta.output.length === 4 ? [h, w, c] : meta.output.slice(1)]);

      const compiled = compileDesign(design, { weights });
      let back: Uint8Array;
      try {
        const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
        back = toOnnx(design, { weights: state, analysis: a });
      } finally {
        compiled.model.dispose();
      }
      const [n, ci, hi, wi] = meta.input;
      const x = seededInput([n, hi, wi, ci]);
      const [want] = await runOnnx(bytes, [x]);
      const [got] = await runOnnx(back, [x]);
      expect(got.shape).toEqual(want.shape);
      const { maxDiff, maxAbs } = maxDifference([got], [want]);
      expect(maxAbs).toBeGreaterThan(0);
      expect(maxDiff).toBeLessThanOrEqual(1e-4 * maxAbs);
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
});

const { onnx } = onnxProto;

/** A one-node model over an NCHW input of `shape` (the refusals' fixture): `op` with `attrs`, and initializers. */
function oneNode(op: string, shape: number[], attribute: ReturnType<typeof onnx.AttributeProto.create>[] = [], extra: string[] = [], inits: ReturnType<typeof onnx.TensorProto.create>[] = []): Uint8Array {
  const vi = (name: string, dims: number[]) => onnx.ValueInfoProto.create({
    name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [onnx.NodeProto.create({ opType: op, name: `/block/${op}`, input: ['x', ...extra], output: ['y'], attribute })],
      input: [vi('x', shape)], output: [vi('y', shape)], initializer: inits,
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
    const resize = importOnnx(oneNode('Resize', [1, 3, 8, 8]));
    expect(resize.refusals[0]).toMatch(/^\/block\/Resize \(Resize\): upsampling needs the upsample2d kind/);
  });

  it('reads a dynamic-size input as a refusal, not a guess', () => {
    const r = importOnnx(oneNode('Relu', [1, 3, 0, 0]));
    expect(r.refusals[0]).toMatch(/^x \(input\): input of shape \[1, 3, \?, \?\]/);
  });

  it('says a file is not an ONNX model', () => {
    expect(() => importOnnx(new TextEncoder().encode('{"format": "convas.design"}'))).toThrow(/not an ONNX model/);
  });
});
