/**
 * The pieces every kind's Keras import rule (`src/kinds/<kind>/keras.ts`) shares: the `KerasRule` type, the
 * `ImportError` a rule throws, and the readers of Keras's config values (activation identifiers, `int or tuple
 * of 2 ints`, padding sides). Pure TypeScript (zod types only).
 */

import type { z } from 'zod';
import type { ActivationName, Pair, Shape } from '../contract/index.ts';
import { int2Value } from '../contract/index.ts';

/** A layer, option or layout Convas cannot express, or a file that does not fit the format; the message names the layer and field. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** `[[top, bottom], [left, right]]` padding sides. */
export type Pads = [[number, number], [number, number]];

/**
 * Keras activation identifier → Convas activation: every Convas name (a missing one is a type error below), Keras's
 * aliases and the names of Convas's own tfjs classes (src/backends/tfjs-activations.ts, as a saved model.json writes
 * them). `hard_sigmoid` is Keras 3's relu6(x + 3) / 6 here: Keras 2's and tfjs's is 0.2·x + 0.5, and the importer
 * refuses those files' `hard_sigmoid` first (`hardSigmoidProblem`). Keras 3's `hard_silu` (alias `hard_swish`) is
 * x · relu6(x + 3) / 6; `gelu` as an identifier is the exact form in Keras 2, Keras 3 and tfjs (`approximate` is
 * not part of an identifier).
 */
const ACTIVATIONS = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', tanh: 'tanh',
  softmax: 'softmax', softplus: 'softplus', swish: 'swish', silu: 'swish',
  hard_sigmoid: 'hardSigmoid', convas_hard_sigmoid: 'hardSigmoid',
  hard_swish: 'hardSwish', hard_silu: 'hardSwish', convas_hard_swish: 'hardSwish', gelu: 'gelu',
} as const satisfies Record<string, ActivationName>;
// every Convas activation has a Keras name: a new one left out is a type error here
const everyActivationNamed: Exclude<ActivationName, (typeof ACTIVATIONS)[keyof typeof ACTIVATIONS]> extends never ? true : never = true;
void everyActivationNamed;

/**
 * The identifier of a validated Keras activation field (a name, null, or a serialized object), lower case; absent
 * or null (Keras's None) is `linear`.
 * @example activationIdentifier({ class_name: 'function', config: 'Hard_Sigmoid' }) // → 'hard_sigmoid'
 */
export function activationIdentifier(a: unknown): string {
  let name = 'linear';
  if (typeof a === 'string') name = a;
  else if (a && typeof a === 'object') {
    const o = a as { config?: unknown; class_name?: unknown };
    const config = o.config as { name?: unknown } | string | null | undefined;
    name = typeof config === 'string' ? config : typeof config?.name === 'string' ? config.name : String(o.class_name ?? '');
  }
  return name.toLowerCase();
}

/**
 * A validated Keras activation field (a name, null, or a serialized object) → a Convas activation name;
 * absent or null (Keras's None) is linear.
 * @throws ImportError naming `layer` for an activation Convas does not have, or a `leaky_relu` (Convas's leaky ReLU
 *   is an activation layer's function, with its own slope, not an activation a layer fuses).
 */
export function activationName(layer: string, a: unknown): ActivationName {
  const name = activationIdentifier(a);
  if (name === 'leaky_relu') throw new ImportError(`layer '${layer}': field 'activation': "leaky_relu" (Convas's leakyRelu is an activation layer of its own, not an activation a layer fuses)`);
  const fn = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name as keyof typeof ACTIVATIONS] : undefined;
  if (!fn) throw new ImportError(`layer '${layer}': field 'activation': "${name}" is not an activation Convas knows (${Object.keys(ACTIVATIONS).join(', ')})`);
  return fn;
}

/**
 * Which Keras wrote a file, where a definition depends on it (`hard_sigmoid`): `keras2` (Keras 1 and 2, tf.keras),
 * `tfjs` (tfjs-layers, which follows Keras 2), `keras3`, or null where the file does not say.
 */
export type KerasWriter = 'keras2' | 'tfjs' | 'keras3' | null;

/**
 * The problem with a layer's `activation` field where it is `hard_sigmoid` and the file is not Keras 3's: Keras 2
 * and tfjs define it as clip(0.2·x + 0.5, 0, 1), another function than Convas's (and Keras 3's) relu6(x + 3) / 6,
 * and a file that does not say which Keras wrote it could mean either. Null where there is none.
 */
export function hardSigmoidProblem(layer: string, a: unknown, writer: KerasWriter, version: string | null): string | null {
  if (activationIdentifier(a) !== 'hard_sigmoid' || writer === 'keras3') return null;
  const field = `layer '${layer}': field 'activation': "hard_sigmoid"`;
  if (writer === null) {
    return `${field} is clip(0.2·x + 0.5, 0, 1) in Keras 2 and tfjs but relu6(x + 3) / 6 in Keras 3, and this file does not say which Keras wrote it (no keras_version, no Keras 3 layout), so Convas cannot tell which function it means`;
  }
  return `${field} of ${writer === 'tfjs' ? 'tfjs' : 'Keras 2'} (${version}) is clip(0.2·x + 0.5, 0, 1), which Convas does not have (its hardSigmoid is relu6(x + 3) / 6, as in Keras 3 and PyTorch)`;
}

/** Keras `int or tuple of 1–2 ints` → `[h, w]`. */
export const pair = (v: number | number[]): Pair => (Array.isArray(v) ? (v.length === 1 ? [v[0], v[0]] : [v[0], v[1]]) : [v, v]);

/** Keras `int or tuple of 1–2 ints` as Convas writes an int2 param: a number when both sides agree, else `[h, w]`. */
export const int2 = (v: number | number[]): number | Pair => int2Value(pair(v));

/** Keras padding (int, [ph, pw] or [[top, bottom], [left, right]]) as `[[top, bottom], [left, right]]`. */
export function sides(p: number | [number, number] | Pads): Pads {
  if (typeof p === 'number') return [[p, p], [p, p]];
  if (typeof p[0] === 'number') return [[p[0], p[0]], [p[1] as number, p[1] as number]];
  return p as Pads;
}

/** Are the sides the same before and after, on both axes? */
export const symmetric = (s: Pads) => s[0][0] === s[0][1] && s[1][0] === s[1][1];

/** One param value as a rule may write it: an int2 as a number or `[h, w]` (`validateParams` widens it). */
type Raw<V> = V extends Pair ? number | Pair : V;

/**
 * The raw params object of a kind whose resolved params are `P`, as a design file holds it: `P`'s fields, each
 * optional (`validateParams` fills defaults in), an int2 as a number or a pair.
 */
export type KerasParamsInput<P> = { [F in keyof P]?: Raw<P[F]> };

/**
 * How one Keras/tfjs layer class reads as a kind whose params are `P`: its config schema and the conversion of a
 * validated config.
 */
export interface KerasClassRule<P, S extends z.ZodType = z.ZodType> {
  /** The config fields Convas reads (others are ignored); a config that does not fit is refused, naming the field. */
  schema: S;
  /**
   * The validated config → the node's params.
   * @throws ImportError naming `layerName` and the field for an option Convas cannot express.
   */
  convert(config: z.output<S>, layerName: string): KerasParamsInput<P>;
  /**
   * A convolution the compiler may write with helper layers: an explicit pad before it (`<id>__pad`: explicit or
   * uneven `same` padding) or a run at stride 1 and a 1×1 pool after it (`<id>__stride`: dilation with stride).
   * The importer folds those back into it.
   */
  convolution?: boolean;
  /**
   * A condition on the config that needs the shape of the layer's (first) input, checked once the imported design
   * is analysed: the problem in words (naming the layer and field), or null. `inputShape` is null where an earlier
   * layer's error left it unknown.
   */
  checkShape?(config: z.output<S>, layerName: string, inputShape: Shape | null): string | null;
}

/**
* The Keras rule of a kind whose params are `P`: the Keras/tfjs class names that read as this kind (several may: Activation, ReLU and
 * Softmax are all `activation`), each with its schema and conversion. A class belongs to one kind only.
 */
export interface KerasRule<P> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each class keeps its own schema type (kerasClass infers it)
  classes: Record<string, KerasClassRule<P, any>>;
}

/**
 * One class of a Keras rule, its config typed by its schema.
 * @example Dropout: kerasClass(z.object({ rate: z.number().optional() }), (c) => ({ rate: c.rate ?? 0.5 }))
 */
export function kerasClass<P, S extends z.ZodType>(
  schema: S, convert: (config: z.output<S>, layerName: string) => KerasParamsInput<P>,
  options: Pick<KerasClassRule<P, S>, 'convolution' | 'checkShape'> = {},
): KerasClassRule<P, S> {
  return { schema, convert, ...options };
}

/**
 * A `axis` that must be the channels axis (batch norm, concatenation): -1, or the last axis of a `[batch, …]`
 * input; the problem in words, or null.
 */
export function channelsAxisProblem(layer: string, what: string, axis: number | undefined, shape: Shape | null): string | null {
  if (axis === undefined || axis === -1) return null;
  if (!shape) return `layer '${layer}': field 'axis': ${what} over axis ${axis}, and the shape of its input is unknown (an earlier layer has an error), so Convas cannot tell whether that is the channels axis`;
  const rank = shape.length + 1;
  if (axis === rank - 1) return null;
  return `layer '${layer}': field 'axis': ${what} over axis ${axis} of a [batch, ${shape.join(', ')}] input, which is not the channels axis (Convas uses the last axis: ${rank - 1} or -1)`;
}
