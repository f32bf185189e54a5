/** Add in ONNX: `Sum` of the inputs. */

import type { OnnxRuleOf } from '../rules.ts';

export const addOnnx: OnnxRuleOf<'add'> = { emit: ({ g, xs, out }) => { g.op('Sum', xs, out, [], out); } };
