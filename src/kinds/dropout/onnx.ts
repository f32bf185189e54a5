/** Dropout in ONNX: `Identity` (inference). */

import type { OnnxRule } from '../../export/onnx-graph.ts';

export const dropoutOnnx: OnnxRule<'dropout'> = { emit: ({ g, x, out }) => { g.op('Identity', [x], out, [], out); } };
