/**
 * Receptive fields composed exactly, one axis at a time, per unit phase
 * (docs/receptive-field.md#windows-that-depend-on-the-units-position). A node's field on one axis is a periodic
 * window: unit u = q·period + r sees input pixels start[r] + q·advance … end[r] + q·advance. Sliding windows keep period 1 (Araujo et al., Distill 2019: size, stride, padding); an upsampling
 * or a transposed convolution gives several phases, because neighbouring units there share input units or read
 * different taps. A layer's step has the same form in its own input units, so a chain composes as periodic
 * windows of periodic windows, and paths that merge are unioned unit by unit.
 */

import { RF_IDENTITY, type RfStep } from '../contract/layer-kind.ts';
import { gcd } from '../contract/spatial.ts';
import type { ReceptiveField, RfPhases } from '../contract/types.ts';

/**
 * Periodic windows on one axis: unit u = q·period + r (0 ≤ r < period) maps to the interval
 * start[r] + q·advance … end[r] + q·advance. A node's field (intervals of input pixels) and a layer's step
 * (intervals of the layer's input units) both have this form.
 */
interface Windows {
  period: number;
  advance: number;
  start: number[];
  end: number[];
}

/**
 * Whether unit u sees nothing: a phase of a transposed convolution whose kernel is smaller than its stride holds
 * its bias alone. Such a window is written empty, end = start − 1.
 */
function emptyAt(w: Windows, u: number): boolean {
  const r = u - Math.floor(u / w.period) * w.period;
  return w.end[r] < w.start[r];
}

/** The interval's first (`list` = start) or last (`list` = end) index for unit u, any integer u. */
function at(w: Windows, list: number[], u: number): number {
  const q = Math.floor(u / w.period);
  return list[u - q * w.period] + q * w.advance;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/**
 * The same windows with the smallest period that describes them: a chain can repeat with a shorter period than
 * the product of its layers' (an upsampling by 2 then a stride-2 pool is affine again), and a field that is affine
 * must read as period 1 so that it is reported as size, stride and padding
 * (docs/receptive-field.md#the-three-numbers).
 */
function reduce(w: Windows): Windows {
  for (let d = 1; d < w.period; d++) {
    if (w.period % d !== 0 || (w.advance * d) % w.period !== 0) continue;
    const shift = (w.advance * d) / w.period;
    let repeats = true;
    // w's own period P makes at(u + P) = at(u) + advance, so checking one period checks every unit
    for (let u = 0; u < w.period && repeats; u++) {
      repeats = at(w, w.start, u + d) === at(w, w.start, u) + shift && at(w, w.end, u + d) === at(w, w.end, u) + shift;
    }
    if (repeats) return { period: d, advance: shift, start: w.start.slice(0, d), end: w.end.slice(0, d) };
  }
  return w;
}

/** One axis of a layer's step, in the layer's input units. */
function stepAxis(step: RfStep, a: 0 | 1): Windows {
  if ('phases' in step) {
    const p = step.phases[a];
    return { period: p.period, advance: p.advance, start: p.windows.map((x) => x[0]), end: p.windows.map((x) => x[1]) };
  }
  const first = -step.padBefore[a];
  return { period: 1, advance: step.stride[a], start: [first], end: [first + step.extent[a] - 1] };
}

/** One axis of a reported field, in input pixels (its phases where given, else the affine window). */
function fieldAxis(rf: ReceptiveField, a: 0 | 1): Windows {
  const p = rf.phases;
  if (p) {
    const start = p.padding[a].map((pad) => -pad);
    return { period: p.period[a], advance: p.advance[a], start, end: start.map((s, r) => s + p.size[a][r] - 1) };
  }
  return { period: 1, advance: rf.stride[a], start: [-rf.padding[a]], end: [rf.size[a] - 1 - rf.padding[a]] };
}

// `0 - x` and not `-x`: a start of 0 must give a padding of +0 (JSON prints −0 as 0, but tests compare with Object.is).
const negate = (x: number) => 0 - x;

/**
 * The field as the analysis reports it (docs/receptive-field.md#how-it-is-reported: size, stride
 * and padding where both axes are affine, with `phases` added where not):
 * `size` the largest window, `stride` advance / period, `padding` −(unit 0's start).
 */
function report(h: Windows, w: Windows): ReceptiveField {
  const sizes = (x: Windows) => x.start.map((s, r) => x.end[r] - s + 1);
  const hs = sizes(h);
  const ws = sizes(w);
  const rf: ReceptiveField = {
    size: [Math.max(...hs), Math.max(...ws)],
    stride: [h.advance / h.period, w.advance / w.period],
    padding: [negate(h.start[0]), negate(w.start[0])],
  };
  if (h.period > 1 || w.period > 1) {
    const phases: RfPhases = {
      period: [h.period, w.period],
      advance: [h.advance, w.advance],
      size: [hs, ws],
      padding: [h.start.map(negate), w.start.map(negate)],
    };
    rf.phases = phases;
  }
  return rf;
}

/**
 * Composes a layer's step onto the field of its input on one axis: output unit u reads the layer's input units
 * a(u) … b(u), each seeing its own window of pixels, so u sees from the smallest of their starts to the largest
 * of their ends. A field's windows move forward with a unit's phase (advance ≥ 1), so the smallest start lies
 * among the first `period` units from a(u) and the largest end among the last `period` up to b(u).
 * The result repeats after `step.period · L / step.advance` units with L = lcm(step.advance, field.period): that
 * many output units move the layer's input by L units, a whole number of the field's periods.
 */
function composeAxis(field: Windows, step: Windows): Windows {
  const l = lcm(step.advance, field.period);
  const period = (step.period * l) / step.advance;
  const advance = (field.advance * l) / field.period;
  const start: number[] = new Array(period);
  const end: number[] = new Array(period);
  for (let u = 0; u < period; u++) {
    const a = at(step, step.start, u);
    const b = at(step, step.end, u);
    // units that see nothing are left out (an empty window, end = start − 1); the rest move forward with their phase
    let lo = Infinity;
    for (let j = a; j <= Math.min(b, a + field.period - 1); j++) if (!emptyAt(field, j)) lo = Math.min(lo, at(field, field.start, j));
    let hi = -Infinity;
    for (let j = Math.max(a, b - field.period + 1); j <= b; j++) if (!emptyAt(field, j)) hi = Math.max(hi, at(field, field.end, j));
    // a unit that reads nothing, or only units that see nothing, sees nothing: an empty window where its first
    // input unit's starts, so that empty windows repeat with the period like the others
    [start[u], end[u]] = lo === Infinity ? [at(field, field.start, a), at(field, field.start, a) - 1] : [lo, hi];
  }
  return reduce({ period, advance, start, end });
}

/**
 * Several paths' fields on one axis, joined where they merge: unit r of the merged map sees what unit r sees on
 * any path, from the smallest start to the largest end (the covering window of docs/receptive-field.md#merging-paths, taken unit by unit over
 * the paths' common period). The advance is the largest of the paths' advances over that period. Where every
 * path moves alike (equal average strides, as in every merge whose paths keep the grid aligned) this is the exact
 * union for every unit; where they do not, it is the covering rule for unit 0 with the largest stride, as before phases.
 */
function mergeAxes(fields: readonly Windows[]): Windows {
  const period = fields.reduce((p, f) => lcm(p, f.period), 1);
  let advance = 0;
  for (const f of fields) advance = Math.max(advance, (f.advance * period) / f.period);
  const start: number[] = new Array(period);
  const end: number[] = new Array(period);
  for (let u = 0; u < period; u++) {
    let lo = Infinity;
    let hi = -Infinity;
    let first = Infinity; // where the merged window sits if every path's unit u sees nothing
    for (const f of fields) {
      first = Math.min(first, at(f, f.start, u));
      if (emptyAt(f, u)) continue;
      lo = Math.min(lo, at(f, f.start, u));
      hi = Math.max(hi, at(f, f.end, u));
    }
    [start[u], end[u]] = lo === Infinity ? [first, first - 1] : [lo, hi];
  }
  return reduce({ period, advance, start, end });
}

/** The field of an `input` node: each unit sees itself. */
export const INPUT_RF: ReceptiveField = { size: [1, 1], stride: [1, 1], padding: [0, 0] };

/**
 * Composes a layer's step onto the field of its input (Araujo et al. 2019's recurrence for r, j and the left
 * padding where the step and the field are affine; per unit phase where not).
 * @param rf the field of the layer's input, on the input image
 * @param step the layer's step in its own input units (`RfAffineStep` or `RfPhasedStep`)
 * @returns the field of the layer's output; `phases` where a unit's window depends on its position
 * @example composeRf(INPUT_RF, { extent: [3, 3], stride: [2, 2], padBefore: [1, 1] }) // → { size: [3, 3], stride: [2, 2], padding: [1, 1] }
 */
export function composeRf(rf: ReceptiveField, step: RfStep): ReceptiveField {
  if (!rf.phases && !('phases' in step) && rf.size[0] >= 1 && rf.size[1] >= 1) {
    // both affine (every sliding window): Araujo et al.'s recurrence, what composeAxis gives at period 1, without
    // building its per-phase lists (the analysis composes one per layer: this is its hot path)
    // a layer that does not look at space hands its input's field on as it is (the recurrence gives the same numbers)
    if (step === RF_IDENTITY) return rf;
    const out: ReceptiveField = {
      size: [rf.size[0] + (step.extent[0] - 1) * rf.stride[0], rf.size[1] + (step.extent[1] - 1) * rf.stride[1]],
      stride: [rf.stride[0] * step.stride[0], rf.stride[1] * step.stride[1]],
      padding: [negate(-rf.padding[0] - step.padBefore[0] * rf.stride[0]), negate(-rf.padding[1] - step.padBefore[1] * rf.stride[1])],
    };
    if (rf.global) out.global = true;
    return out;
  }
  const out = report(composeAxis(fieldAxis(rf, 0), stepAxis(step, 0)), composeAxis(fieldAxis(rf, 1), stepAxis(step, 1)));
  // a unit that depends on every pixel through a global path still does after any spatial layer
  if (rf.global) out.global = true;
  return out;
}

/**
 * The field a merge starts from (docs/receptive-field.md#merging-paths): a unit after `add`/`concat`/`multiply` sees every pixel any path reaches,
 * so per axis it is the smallest window covering every path's window, unit by unit: from the smallest start
 * (−padding) to the largest end (size − 1 − padding); the stride is the largest of the paths' strides. Taking the
 * widest path alone is too small where paths are not centred alike (even kernels with `same` padding, a
 * `zeroPad2d` on one branch).
 *
 * A null field is a global path (docs/receptive-field.md#global-paths): its values depend on the whole
 * input (a global pooling, and what follows it) or on no position of the unit's own. The spatial paths' window is
 * then the field, marked `global: true`, as it is where any spatial path already carries the mark.
 * @returns null when there are no fields or every path is global
 * @example mergeRf([{ size: [5,5], stride: [1,1], padding: [2,2] }, { size: [5,5], stride: [1,1], padding: [1,1] }]).size // → [6, 6]
 * @example mergeRf([{ size: [3,3], stride: [1,1], padding: [1,1] }, null]) // → { size: [3, 3], stride: [1, 1], padding: [1, 1], global: true }
 */
export function mergeRf(fields: readonly (ReceptiveField | null)[]): ReceptiveField | null {
  const spatial = fields.filter((f): f is ReceptiveField => f !== null);
  if (spatial.length === 0) return null;
  const out = report(mergeAxes(spatial.map((f) => fieldAxis(f, 0))), mergeAxes(spatial.map((f) => fieldAxis(f, 1))));
  if (spatial.length < fields.length || spatial.some((f) => f.global)) out.global = true;
  return out;
}

/**
 * The input pixels unit `unit` of a node sees on one axis: `[first, last]` on an unbounded input.
 * @param rf the node's reported field
 * @param axis 0 for rows, 1 for columns
 * @param unit the unit's index along the axis (any integer)
 * @example unitWindow({ size: [3, 3], stride: [2, 2], padding: [1, 1] }, 0, 4) // → [7, 9]
 */
export function unitWindow(rf: ReceptiveField, axis: 0 | 1, unit: number): [number, number] {
  const w = fieldAxis(rf, axis);
  return [at(w, w.start, unit), at(w, w.end, unit)];
}
