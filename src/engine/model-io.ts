/**
 * The model's inputs and outputs, in order (docs/design-format.md#outputs): the one rule `run`, the compiler, every
 * export (PyTorch `forward`'s arguments and return tuple, the ONNX graph's inputs and outputs, tfjs `input_layers`
 * and `output_layers`) and every import follow. Inputs are the design's `input` nodes in file order; outputs are
 * `outputNodes` (the `outputs` list, else the nodes no edge leaves, in file order).
 */

import { outputNodes } from '../contract/outputs.ts';
import type { Design, DesignNode } from '../contract/types.ts';
import { isInputKind } from './registry.ts';

/** A design's ordered inputs and outputs (the design's own nodes). */
export interface ModelIO {
  inputs: DesignNode[];
  outputs: DesignNode[];
}

/**
 * The model's inputs (its `input` nodes in file order) and outputs (`outputNodes`), in order.
 * @example modelIO(design).outputs.map((n) => n.id) // → ['box', 'cls']
 */
export function modelIO(design: Pick<Design, 'nodes' | 'edges' | 'outputs'>): ModelIO {
  return { inputs: design.nodes.filter((n) => isInputKind(n.kind)), outputs: outputNodes(design) };
}
