/**
 * The backend contracts (floor 2: src/backends) are generic over a kind's params `P` and weights `W`; these are
 * the same rules keyed by a kind's name, with `P` and `W` read off the table of kinds, so that a kind's backend file
 * writes `TfjsRuleOf<'conv2d'>` and `tsc` types its params and weights (reading a weight role the kind lacks is an
 * error). Types only: no module here runs anything.
 */

import type { KerasRule } from '../backends/keras-rule.ts';
import type { OnnxRule } from '../backends/onnx-graph.ts';
import type { TfjsRule } from '../backends/tfjs-rule.ts';
import type { TorchEmitContext, TorchRule } from '../backends/torch-rule.ts';
import type { KindName, KindParams, KindWeights } from './registry.ts';

/** The tfjs rule of kind `K` (compile, read weights back, memory terms). */
export type TfjsRuleOf<K extends KindName> = TfjsRule<KindParams<K>, KindWeights<K>>;
/** The PyTorch rule of kind `K` (module lines, state-dict layout). */
export type TorchRuleOf<K extends KindName> = TorchRule<KindParams<K>, KindWeights<K>>;
/** What the PyTorch emit of kind `K` (or of any of a union of kinds) reads. */
export type TorchEmitContextOf<K extends KindName> = TorchEmitContext<KindParams<K>>;
/** The ONNX rule of kind `K`. */
export type OnnxRuleOf<K extends KindName> = OnnxRule<KindParams<K>>;
/** The Keras import rule of kind `K` (its classes, schemas and conversions). */
export type KerasRuleOf<K extends KindName> = KerasRule<KindParams<K>>;
