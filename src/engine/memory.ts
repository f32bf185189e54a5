/**
 * Memory (docs/advice.md#memory), in torchinfo's conventions for float32 tensors. Pure arithmetic on an analysis:
 * every figure is a sum over the analysis' per-node shapes and counts, for a batch of `batch` images.
 */

import { isInputKind } from './registry.ts';
import type { Analysis, NodeAnalysis } from '../contract/types.ts';
import { FLOAT32_BYTES } from '../contract/float32.ts';

/** `totals.memory` of the contract: bytes for a batch of `batch` images. */
export interface MemoryTotals {
  batch: number;
  /** Σ outputBytes of the `input` nodes (torchinfo's "Input size"). */
  inputBytes: number;
  /** 4 · params (torchinfo's "Params size"). */
  paramBytes: number;
  /**
   * 2 · Σ outputBytes of the nodes that have parameters, each inner module's output (`innerOutputs`) included
   * (torchinfo's "Forward/backward pass size" on the PyTorch export).
   */
  forwardBackwardBytes: number;
  /** input + params + forward/backward (torchinfo's "Estimated Total Size", batch-norm statistics included). */
  estimatedTotalBytes: number;
  /** estimatedTotalBytes + 12 · trainableParams: a gradient and Adam's two moments per trainable weight. */
  trainingBytes: number;
}

/** True when `batch` is a batch size the memory figures accept: a positive safe integer. */
export function isBatchSize(batch: unknown): batch is number {
  return typeof batch === 'number' && Number.isSafeInteger(batch) && batch >= 1;
}

/**
 * `outputBytes` of one node: 4 · batch · (number of elements of its output shape); 0 where the shape is null.
 * @example outputBytes({ outputShape: [56, 56, 64] } as NodeAnalysis, 2) // → 1605632
 */
export function outputBytes(node: Pick<NodeAnalysis, 'outputShape'>, batch = 1): number {
  const shape = node.outputShape;
  if (!shape) return 0;
  let elements = 1;
  for (let i = 0; i < shape.length; i++) elements *= shape[i];
  return FLOAT32_BYTES * batch * elements;
}

/**
 * The memory totals of an analysis (docs/advice.md#memory). Throws on a batch that is not a positive integer (callers
 * validate user input first with `isBatchSize`).
 * @example memoryTotals(analyze(resnet18), 1).forwardBackwardBytes // → 39747392, as torchinfo prints
 */
export function memoryTotals(analysis: Pick<Analysis, 'nodes' | 'totals'>, batch = 1): MemoryTotals {
  if (!isBatchSize(batch)) throw new RangeError(`batch size must be a positive whole number, got ${String(batch)}`);
  let inputBytes = 0;
  let activations = 0;
  const nodes = analysis.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    // docs/advice.md#memory defines inputBytes over the `input` nodes (the kind that takes no inputs)
    if (isInputKind(n.kind)) inputBytes += outputBytes(n, batch);
    if (n.params > 0) {
      activations += outputBytes(n, batch);
      // a kind PyTorch writes as several modules with parameters: torchinfo counts each module's output
      if (n.innerOutputs) for (const shape of n.innerOutputs) activations += outputBytes({ outputShape: shape }, batch);
    }
  }
  const t = analysis.totals;
  const paramBytes = FLOAT32_BYTES * t.params;
  const forwardBackwardBytes = 2 * activations;
  const estimatedTotalBytes = inputBytes + paramBytes + forwardBackwardBytes;
  return {
    batch, inputBytes, paramBytes, forwardBackwardBytes, estimatedTotalBytes,
    trainingBytes: estimatedTotalBytes + 3 * FLOAT32_BYTES * t.trainableParams,
  };
}
