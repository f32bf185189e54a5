/**
 * Per-layer time of a compiled design on the backend tfjs runs now (docs/command-line.md#profile): the compiled
 * graph is run one tfjs layer at a time, in the model's own order (tfjs sorts a functional model's layers by
 * depth), each layer's time added to the node that made it (a node's helper layers, such as explicit padding,
 * count as its own). Browser-safe: the run worker profiles with it too.
 *
 * Barriers: wasm and cpu run each kernel before the call returns, so a layer's call returning is the end of its
 * work; webgl and webgpu queue work on the GPU, so there each layer awaits its outputs' `data()`. The whole pass
 * is timed the same way (one layer-by-layer pass end to end, `forwardMs`), and also as one `predict` whose
 * outputs are read back (`predictMs`), which the barriers do not slow. Warm-up passes first (kernel compilation,
 * XNNPACK's packing of weights), then `runs` timed passes; every figure is a median over the runs.
 */

import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { tf, type Compiled } from './index.ts';
import { randomInput } from './random-input.ts';

/** One node's line of a profile (the contract's `{ id, ms, macs }`). */
export interface NodeProfile {
  id: string;
  /** median over the runs of the time its tfjs layers take, in milliseconds */
  ms: number;
  /** its multiply-accumulates for one image (the analysis) */
  macs: number;
}

/** What `profileCompiled` measures. */
export interface Profile {
  backend: string;
  runs: number;
  /** untimed passes run first */
  warmup: number;
  /** median of whole layer-by-layer passes, ms */
  forwardMs: number;
  /** median of whole passes as one `predict` (outputs read back), ms */
  predictMs: number;
  /**
   * the median over the runs of the share of each layer-by-layer pass that its layers' own timed windows cover
   * (the rest is the profiler's bookkeeping between layers): near 1, so the layers' times add up to the pass
   */
  coverage: number;
  /** one line per node of the design (inputs included), in the design's node order */
  nodes: NodeProfile[];
  /**
   * the most bytes tfjs held at once for tensors of the pass, beyond the weights (`tf.memory().numBytes` after
   * each layer, the input included), in the last run
   */
  measuredPeakBytes: number;
}

export interface ProfileOptions {
  /** timed passes (default 5) */
  runs?: number;
  /** passes run first and not timed (default 2) */
  warmup?: number;
  /** called after every pass, warm-up included, with the passes done and to do: a progress bar, a cancel check */
  onPass?: (done: number, total: number) => void | Promise<void>;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** True where a kernel may still be running when its call returns (GPU backends). */
const asynchronous = (backend: string) => backend === 'webgl' || backend === 'webgpu';

interface Step {
  layer: LayersModel['layers'][number];
  nodeId: string | undefined;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/** The model's layers in execution order with their symbolic inputs and outputs (input layers left out). */
function steps(compiled: Compiled): Step[] {
  const owner = new Map<string, string>();
  for (const [id, { name, helpers }] of compiled.layersByNode) {
    owner.set(name, id);
    for (const h of helpers.values()) owner.set(h, id);
  }
  const out: Step[] = [];
  for (const layer of compiled.model.layers) {
    const node = layer.inboundNodes[0];
    if (!node || layer.getClassName() === 'InputLayer') continue;
    out.push({ layer, nodeId: owner.get(layer.name), inputs: node.inputTensors, outputs: node.outputTensors });
  }
  return out;
}

/**
 * One pass layer by layer on `inputs` (one tensor per model input, batch included): each node's milliseconds,
 * the pass's, and the peak of `tf.memory().numBytes` above `base`. Every intermediate tensor is disposed once its
 * last consumer has run, as tfjs's own executor does; the outputs too, at the end.
 */
async function layerByLayer(compiled: Compiled, plan: Step[], inputs: Tensor[], base: number, sync: boolean) {
  const live = new Map<number, Tensor>();
  compiled.model.inputs.forEach((t, i) => live.set(t.id, inputs[i]));
  const uses = new Map<number, number>();
  for (const s of plan) for (const t of s.inputs) uses.set(t.id, (uses.get(t.id) ?? 0) + 1);
  const keep = new Set(compiled.model.inputs.map((t) => t.id));
  const ms = new Map<string, number>();
  let peak = tf.memory().numBytes - base;
  const start = performance.now();
  for (const s of plan) {
    const t0 = performance.now();
    const args = s.inputs.map((t) => live.get(t.id)!);
    const result = s.layer.apply(args.length === 1 ? args[0] : args) as Tensor | Tensor[];
    const outs = Array.isArray(result) ? result : [result];
    if (!sync) await Promise.all(outs.map((t) => t.data()));
    const dt = performance.now() - t0;
    if (s.nodeId !== undefined) ms.set(s.nodeId, (ms.get(s.nodeId) ?? 0) + dt);
    s.outputs.forEach((t, i) => live.set(t.id, outs[i]));
    peak = Math.max(peak, tf.memory().numBytes - base);
    for (const t of s.inputs) {
      const left = uses.get(t.id)! - 1;
      uses.set(t.id, left);
      if (left === 0 && !keep.has(t.id)) {
        live.get(t.id)!.dispose();
        live.delete(t.id);
      }
    }
  }
  const passMs = performance.now() - start;
  let covered = 0;
  for (const v of ms.values()) covered += v;
  for (const [id, t] of live) if (!keep.has(id)) t.dispose();
  return { ms, passMs, peak, coverage: passMs > 0 ? covered / passMs : 1 };
}

/**
 * Profiles a compiled design on the current tfjs backend (see the header for the method): `runs` timed passes
 * after `warmup` untimed ones, layer by layer, and as many whole `predict`s. `inputs` are the model's inputs with
 * a batch axis; the caller keeps and disposes them.
 * @example await profileCompiled(compileDesign(resnet50), [tf.randomUniform([1, 224, 224, 3])], { runs: 5 })
 */
export async function profileCompiled(compiled: Compiled, inputs: Tensor[], options: ProfileOptions = {}): Promise<Profile> {
  const runs = options.runs ?? 5;
  const warmup = options.warmup ?? 2;
  const backend = tf.getBackend();
  const sync = !asynchronous(backend);
  const plan = steps(compiled);
  const inputBytes = inputs.reduce((s, t) => s + 4 * t.size, 0);
  const base = tf.memory().numBytes - inputBytes;
  const perNode = new Map<string, number[]>();
  const passes: number[] = [];
  const coverage: number[] = [];
  const predicts: number[] = [];
  let measuredPeakBytes = 0;
  const total = warmup + runs;
  for (let r = 0; r < total; r++) {
    const pass = await layerByLayer(compiled, plan, inputs, base, sync);
    const t0 = performance.now();
    const ys = compiled.model.predict(inputs.length === 1 ? inputs[0] : inputs) as Tensor | Tensor[];
    const outs = Array.isArray(ys) ? ys : [ys];
    await Promise.all(outs.map((t) => t.data()));
    const predictMs = performance.now() - t0;
    tf.dispose(outs);
    if (r >= warmup) {
      passes.push(pass.passMs);
      coverage.push(pass.coverage);
      predicts.push(predictMs);
      for (const [id, ms] of pass.ms) perNode.set(id, [...(perNode.get(id) ?? []), ms]);
      measuredPeakBytes = pass.peak;
    }
    await options.onPass?.(r + 1, total);
  }
  const nodes = compiled.analysis.nodes.map((n) => ({ id: n.id, ms: perNode.has(n.id) ? median(perNode.get(n.id)!) : 0, macs: n.macs }));
  return { backend, runs, warmup, forwardMs: median(passes), coverage: median(coverage), predictMs: median(predicts), nodes, measuredPeakBytes };
}

/**
 * The inputs a profile runs on, one per model input: seeded uniform noise in [0, 1), [1, ...shape], the seed of
 * input i being `seed + i`. `convas profile` and the Run tab's Profile view both call it, so both time the same
 * values; the caller disposes them.
 */
export function profileInputs(compiled: Compiled, seed: number): Tensor[] {
  return compiled.model.inputs.map((t, i) => randomInput(t.shape.slice(1) as number[], seed + i));
}
