/** Add in ONNX: `Sum` of the inputs. */

import type { OnnxRule } from '../../export/onnx-graph.ts';

export const addOnnx: OnnxRule<'add'> = { emit: ({ g, xs, out }) => { g.op('Sum', xs, out, [], out); } };
