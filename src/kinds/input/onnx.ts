/** Input in ONNX: a graph input, no node. */

import type { OnnxRule } from '../../export/onnx-graph.ts';

export const inputOnnx: OnnxRule<'input'> = {
  emit: () => {}, // never called: the export makes each input a graph input
};
