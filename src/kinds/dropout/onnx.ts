/** Dropout in ONNX: `Identity` (inference). */

import type { OnnxRuleOf } from '../rules.ts';

export const dropoutOnnx: OnnxRuleOf<'dropout'> = { emit: ({ g, x, out }) => { g.op('Identity', [x], out, [], out); } };
