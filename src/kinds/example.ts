/**
 * What a kind's examples are (`src/kinds/<kind>/examples.ts`, listed in `src/kinds/examples.ts`): params that fit a
 * given input, for tests that need one valid node of every kind, and random params for an input, for the property
 * tests that run generated designs through every backend.
 *
 * Random params are drawn through `Draw`, a three-method interface the test passes in (test/support/draw.ts backs it
 * with fast-check's `fc.gen()`, so every draw is replayed from the seed and shrunk on failure). The kinds' folders so
 * stay on the pure floor, importing no package: fast-check is a devDependency that neither the editor's bundle nor
 * the CLI may load, and an examples file that imported it would be one import away from either. Drawing in sequence
 * (rather than returning an `Arbitrary`) is also what lets the params depend on the input a generated design has
 * reached by then, which a static arbitrary cannot see.
 */

import type { Pair, Shape } from '../contract/types.ts';
import type { ActivationName } from '../contract/params.ts';
import { ACTIVATIONS } from '../contract/params.ts';
import type { KindName, KindParams } from './registry.ts';

/** A source of random choices; each call is one draw (integers inclusive at both ends). */
export interface Draw {
  int(min: number, max: number): number;
  bool(): boolean;
  pick<T>(options: readonly T[]): T;
}

/** A param as a design file may hold it: an int2 or explicit padding as one number or `[h, w]`. */
type Stored<V> = V extends Pair ? number | Pair : V;

/** Params of kind `K` as a design file holds them: any key may be left out for its default. */
export type ExampleParams<K extends KindName> = { [P in keyof KindParams<K>]?: Stored<KindParams<K>[P]> };

/** The examples of kind `K`. */
export interface KindExamples<K extends KindName> {
  /**
   * Params with which a node of this kind is valid on inputs of shape `x` (each of its inputs `x`, as many as its
   * arity's minimum; an input kind: the node that gives `x`). A few, each with an option that changes the counts
   * or the weights; [] where the kind takes no such input (a dense layer on an H×W×C map).
   */
  fits(x: Shape): ExampleParams<K>[];
  /**
   * Random params for a node whose first input is `x`: every option of the kind over ranges that reach its edge
   * cases (dilation with stride, uneven `same`, ceil mode, groups, depth multipliers…), optional keys sometimes
   * left out so that defaults are taken too. Aimed at `x` where that is cheap (groups among the divisors of its
   * channels) but not promised valid: the analysis judges, and a generator keeps what it accepts.
   */
  random(x: Shape, draw: Draw): ExampleParams<K>;
}

/**
 * A convolution's window params, drawn in Keras's order (kernel 1–6, strides 1–4, padding valid, same or 0–2
 * explicit, dilation 1–3): what the three convolution kinds' random examples share, spread after their own leading
 * params as `convWindowSpecs` is in their schemas.
 */
export function drawConvWindow(draw: Draw): { kernelSize: number | Pair; strides: number | Pair; padding: ExampleParams<'conv2d'>['padding']; dilation: number | Pair } {
  return {
    kernelSize: drawInt2(draw, 1, 6),
    strides: drawInt2(draw, 1, 4),
    padding: drawPadding(draw, 2),
    dilation: drawInt2(draw, 1, 3),
  };
}

/** An int2 in [min, max], written as one number or as `[h, w]` (both forms a design may hold). */
export const drawInt2 = (draw: Draw, min: number, max: number): number | Pair =>
  (draw.bool() ? draw.int(min, max) : [draw.int(min, max), draw.int(min, max)]);

/** Padding: `valid`, `same` or explicit, 0…maxExplicit per axis. */
export const drawPadding = (draw: Draw, maxExplicit: number): 'valid' | 'same' | number | Pair =>
  (draw.bool() ? draw.pick(['valid', 'same'] as const) : drawInt2(draw, 0, maxExplicit));

export const drawActivation = (draw: Draw): ActivationName => draw.pick(ACTIVATIONS);

/**
 * `params` with each key outside `required` left out one time in six (fast-check's rate for a record's optional
 * keys), so that defaults are exercised too while options that act together (dilation with stride) still meet often.
 */
export function someOf<T extends object>(draw: Draw, params: T, required: readonly (keyof T)[] = []): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(params) as (keyof T)[]) {
    if (required.includes(key) || draw.int(0, 5) > 0) out[key] = params[key];
  }
  return out;
}

/** The divisors of `n` up to `max`, ascending (the group counts a convolution on n channels may take). */
export function divisorsUpTo(n: number, max: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(n, max); d++) if (n % d === 0) out.push(d);
  return out;
}

/** A kernel of at most `k`×`k` that a `valid` window fits inside an H×W map `x`. */
export const kernelWithin = (x: Shape, k: Pair): Pair => [Math.min(k[0], x[0]), Math.min(k[1], x[1])];

/** Whether `x` is an H×W×C feature map (rank 3), the input of every spatial kind. */
export const isImage = (x: Shape): boolean => x.length === 3;

/** The examples of a kind without params: valid on any input its `accepts` allows. */
export const noParams = <K extends KindName>(accepts: (x: Shape) => boolean): KindExamples<K> => ({
  fits: (x) => (accepts(x) ? [{}] : []),
  random: () => ({}),
});
