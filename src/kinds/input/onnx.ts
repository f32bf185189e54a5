/** Input in ONNX: a graph input, no node. */

import type { OnnxRuleOf } from '../rules.ts';

export const inputOnnx: OnnxRuleOf<'input'> = {
  emit: () => {}, // never called: the export makes each input a graph input
};
