/**
 * Parameter schemas for layer kinds. A schema is plain data, so the inspector form, the validator and the
 * docs all read the same thing. `validateParams` turns raw JSON into normalized values (defaults filled,
 * `int2` widened to `[h, w]`) or a list of messages; it never throws and never guesses.
 */

import { formatInt } from './format.ts';
import type { Pair } from './types.ts';

/** Largest spatial size, channel count or unit count Convas accepts: beyond it nothing real exists. */
export const MAX_DIM = 1 << 20;
/** Largest kernel, stride, dilation or padding. */
export const MAX_WINDOW = 4096;

/**
 * The activations every kind with an `activation` param takes (docs/design-format.md#activations). `hardSigmoid` is
 * relu6(x + 3) / 6 (PyTorch's and Keras 3's, not Keras 2's and tfjs's 0.2·x + 0.5), `hardSwish` x · hardSigmoid(x),
 * `gelu` the exact x·Φ(x) (PyTorch's default `approximate='none'`), `swish` PyTorch's SiLU.
 */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'swish',
  'hardSigmoid', 'hardSwish', 'gelu',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

interface SpecBase {
  label: string;
  help?: string;
  /** What a freshly dropped node starts with, for params the file must state (no `default`). */
  initial?: unknown;
  /** Absent is allowed and means something the kind resolves itself (e.g. pool strides = pool size). */
  optional?: boolean;
  /** Absent means the value of this other param (pool strides: the pool size); the resolved params hold it. */
  defaultFrom?: string;
  /**
   * The param applies only where the enum param `param` holds one of `values` (the activation kind's `alpha`, only
   * for `fn: leakyRelu`). Elsewhere a value given is an error (as an unknown param is), no default is filled in, the
   * resolved params lack it, and the inspector hides the field.
   */
  appliesWhen?: { param: string; values: readonly string[] };
}
export interface IntSpec extends SpecBase { type: 'int'; min: number; max: number; default?: number }
export interface Int2Spec extends SpecBase { type: 'int2'; min: number; max: number; default?: number }
export interface FloatSpec extends SpecBase {
  type: 'float'; min: number; max: number; default?: number; minExclusive?: boolean; maxExclusive?: boolean;
}
export interface BoolSpec extends SpecBase { type: 'bool'; default?: boolean }
export interface EnumSpec extends SpecBase { type: 'enum'; options: readonly string[]; default?: string }
/** `"valid"`, `"same"` or an explicit symmetric zero padding (int2). */
export interface PaddingSpec extends SpecBase { type: 'padding'; default?: 'valid' | 'same' }
/** An input shape: `[N]` or `[H, W, C]`. */
export interface ShapeSpec extends SpecBase { type: 'shape'; default?: number[] }

export type ParamSpec = IntSpec | Int2Spec | FloatSpec | BoolSpec | EnumSpec | PaddingSpec | ShapeSpec;
export type ParamSchema = Record<string, ParamSpec>;

export type PaddingValue = 'valid' | 'same' | Pair;

/**
 * An int2 value as Convas writes it into a design: one number when both sides agree, else `[h, w]`.
 * @example int2Value([3, 3]) // → 3; int2Value([3, 5]) // → [3, 5]
 */
export const int2Value = (p: Pair): number | Pair => (p[0] === p[1] ? p[0] : p);

/** The normalized value type of one spec. */
export type ValueOf<S extends ParamSpec> = S extends IntSpec ? number
  : S extends Int2Spec ? Pair
  : S extends FloatSpec ? number
  : S extends BoolSpec ? boolean
  : S extends EnumSpec ? S['options'][number]
  : S extends PaddingSpec ? PaddingValue
  : S extends ShapeSpec ? number[]
  : never;

/**
 * The resolved params of a schema: each of its fields' values, and no other (the `string` index of the generic
 * `ParamSchema` is left out, so reading a field a kind does not have is a type error; code that reads any kind's
 * params by name takes them as `AnyParams`).
 */
export type ParamsOf<S extends ParamSchema> = {
  [K in keyof S as string extends K ? never : K]: S[K] extends { appliesWhen: object } ? ValueOf<S[K]> | undefined : ValueOf<S[K]>
};

/** Resolved params read by name, where the kind is not known (a quick fix that applies to every kind with a `kernelSize`). */
export type AnyParams = Record<string, ValueOf<ParamSpec>>;

export interface ParamIssue {
  field: string;
  message: string;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Does `spec` apply to a node whose params (raw or resolved) are `params`? Always, unless it has `appliesWhen`:
 * then where `params[param]`, or that param's default or initial value when absent, is one of its values.
 * @example paramApplies(activation.params.alpha, { fn: 'leakyRelu' }) // → true; with { fn: 'relu' } → false
 */
export function paramApplies(spec: ParamSpec, params: Record<string, unknown>, schema?: ParamSchema): boolean {
  const when = spec.appliesWhen;
  if (!when) return true;
  const source = schema && hasOwn(schema, when.param) ? schema[when.param] : undefined;
  const v = params[when.param] ?? source?.default ?? source?.initial;
  return typeof v === 'string' && when.values.includes(v);
}

/**
 * `params` without the params that do not apply to it (`appliesWhen`): what the inspector commits after a change
 * of `fn`, so a leaky ReLU's `alpha` goes when the function becomes another.
 * @example dropInapplicable(activation.params, { fn: 'relu', alpha: 0.2 }) // → { fn: 'relu' }
 */
export function dropInapplicable(schema: ParamSchema, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const [key, spec] of Object.entries(schema)) {
    if (hasOwn(out, key) && !paramApplies(spec, out, schema)) delete out[key];
  }
  return out;
}

/** A value as a message shows it: short, and nested lists shown two levels deep (a file may nest 100,000). */
function describe(v: unknown, depth = 0): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : String(v);
  if (Array.isArray(v)) {
    if (depth >= 2) return v.length ? '[…]' : '[]';
    return `[${v.slice(0, 4).map((x) => describe(x, depth + 1)).join(', ')}${v.length > 4 ? ', …' : ''}]`;
  }
  if (v === null) return 'null';
  return typeof v;
}

function intIssue(v: unknown, min: number, max: number): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a whole number, got ${describe(v)}`;
  if (!Number.isInteger(v)) return `must be a whole number, got ${v}`;
  if (v < min || v > max) return `must be from ${formatInt(min)} to ${formatInt(max)}, got ${formatInt(v)}`;
  return null;
}

function checkInt2(v: unknown, min: number, max: number): { value?: Pair; issue?: string } {
  if (Array.isArray(v)) {
    if (v.length !== 2) return { issue: `must be a whole number or a pair [h, w], got ${describe(v)}` };
    for (const x of v) {
      const issue = intIssue(x, min, max);
      if (issue) return { issue };
    }
    return { value: [v[0] as number, v[1] as number] };
  }
  const issue = intIssue(v, min, max);
  return issue ? { issue } : { value: [v as number, v as number] };
}

function checkOne(spec: ParamSpec, v: unknown): { value?: unknown; issue?: string } {
  switch (spec.type) {
    case 'int': {
      const issue = intIssue(v, spec.min, spec.max);
      return issue ? { issue } : { value: v };
    }
    case 'int2':
      return checkInt2(v, spec.min, spec.max);
    case 'float': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return { issue: `must be a number, got ${describe(v)}` };
      const lowOk = spec.minExclusive ? v > spec.min : v >= spec.min;
      const highOk = spec.maxExclusive ? v < spec.max : v <= spec.max;
      if (!lowOk || !highOk) {
        const lo = spec.minExclusive ? `above ${spec.min}` : `from ${spec.min}`;
        const hi = spec.maxExclusive ? `below ${spec.max}` : `to ${spec.max}`;
        return { issue: `must be ${lo} ${hi}, got ${v}` };
      }
      return { value: v };
    }
    case 'bool':
      return typeof v === 'boolean' ? { value: v } : { issue: `must be true or false, got ${describe(v)}` };
    case 'enum':
      return typeof v === 'string' && spec.options.includes(v)
        ? { value: v }
        : { issue: `must be one of ${spec.options.join(', ')}; got ${describe(v)}` };
    case 'padding':
      if (v === 'valid' || v === 'same') return { value: v };
      if (typeof v === 'string') return { issue: `must be "valid", "same" or a whole number of pixels, got ${describe(v)}` };
      {
        const r = checkInt2(v, 0, MAX_WINDOW);
        return r.issue ? { issue: `must be "valid", "same" or a whole number of pixels: ${r.issue}` } : r;
      }
    case 'shape': {
      if (!Array.isArray(v) || (v.length !== 1 && v.length !== 3)) {
        return { issue: `must be [H, W, C] for an image or [N] for a vector, got ${describe(v)}` };
      }
      for (const x of v) {
        const issue = intIssue(x, 1, MAX_DIM);
        if (issue) return { issue: `every size ${issue}` };
      }
      return { value: [...v] };
    }
  }
}

const entriesCache = new WeakMap<ParamSchema, [string, ParamSpec][]>();
/** Schemas are static: list their entries once (validation runs for every node on every edit). */
function entriesOf(schema: ParamSchema): [string, ParamSpec][] {
  let e = entriesCache.get(schema);
  if (!e) entriesCache.set(schema, (e = Object.entries(schema)));
  return e;
}

/**
 * Checks raw params against a schema.
 * @example validateParams({ filters: { type: 'int', min: 1, max: 9, label: 'Filters' } }, { filters: 4 })
 *   // → { params: { filters: 4 }, issues: [] }
 */
export function validateParams<S extends ParamSchema>(
  schema: S,
  raw: unknown,
): { params: ParamsOf<S> | null; issues: ParamIssue[] } {
  const issues: ParamIssue[] = [];
  if (raw === undefined) raw = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { params: null, issues: [{ field: 'params', message: `params must be an object, got ${describe(raw)}` }] };
  }
  const input = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in input) {
    if (!hasOwn(input, key)) continue;
    if (!hasOwn(schema, key)) {
      const known = Object.keys(schema);
      issues.push({
        field: key,
        message: `unknown param "${key.slice(0, 40)}"` + (known.length ? ` (known: ${known.join(', ')})` : ' (this kind takes none)'),
      });
    }
  }
  for (const [key, spec] of entriesOf(schema)) {
    if (spec.appliesWhen) {
      const { param, values } = spec.appliesWhen;
      // decided on the resolved value of the param it depends on (checked first: `appliesWhen` params come after it)
      if (!(typeof out[param] === 'string' && values.includes(out[param] as string))) {
        // (where the param itself is missing or wrong, its own message says enough)
        if (hasOwn(input, key) && input[key] !== undefined && out[param] !== undefined) {
          const on = (schema[param] as ParamSpec | undefined)?.label.toLowerCase() ?? param;
          issues.push({ field: key, message: `${spec.label} applies only where ${on} is ${values.join(' or ')} (${on} is ${describe(out[param])})` });
        }
        continue;
      }
    }
    if (!hasOwn(input, key) || input[key] === undefined) {
      if (spec.default === undefined) {
        if (spec.defaultFrom !== undefined) continue; // resolved below, once its source is checked
        if (spec.optional) continue;
        issues.push({ field: key, message: `${spec.label} is required` });
        continue;
      }
      const r = checkOne(spec, spec.default);
      out[key] = r.value;
      continue;
    }
    const r = checkOne(spec, input[key]);
    // in the words on screen (the field's label, "Kernel size"), not the file's key (`kernelSize`)
    if (r.issue) issues.push({ field: key, message: `${spec.label} ${r.issue}` });
    else out[key] = r.value;
  }
  for (const [key, spec] of entriesOf(schema)) {
    if (spec.defaultFrom !== undefined && out[key] === undefined && out[spec.defaultFrom] !== undefined) out[key] = out[spec.defaultFrom];
  }
  return { params: issues.length ? null : (out as ParamsOf<S>), issues };
}

/** Two raw params `validateParams` cannot tell apart: the same own keys, each with the same value (`Object.is`; a list item by item). */
function sameRaw(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let keys = 0;
  for (const k in a) {
    if (!hasOwn(a, k)) continue;
    keys++;
    if (!hasOwn(b, k)) return false;
    const x = a[k];
    const y = b[k];
    if (Object.is(x, y)) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  for (const k in b) if (hasOwn(b, k)) keys--;
  return keys === 0;
}

/** How many distinct raw params a memo keeps per schema (the most recent ones). */
const MEMO_PER_SCHEMA = 4;

/**
 * `validateParams` for many nodes at once (one analysis): layers written alike (a network repeats its blocks, a chain
 * its conv, batch norm and activation) are validated once and share one result. Params that validated are kept
 * per schema, the last few distinct ones, and handed out frozen (the lists inside them too), since several nodes now
 * hold the same object; params with issues are validated every time (their messages are made per node anyway).
 */
export class ParamsMemo {
  private kept = new Map<ParamSchema, { raw: Record<string, unknown>; params: Record<string, unknown> }[]>();

  /** As `validateParams(schema, raw)`; the params object is frozen and may be shared with other nodes. */
  validate<S extends ParamSchema>(schema: S, raw: unknown): { params: ParamsOf<S> | null; issues: ParamIssue[] } {
    const plain = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
    let list = this.kept.get(schema);
    if (plain && list) {
      for (const k of list) if (sameRaw(k.raw, raw as Record<string, unknown>)) return { params: k.params as ParamsOf<S>, issues: [] };
    }
    const r = validateParams(schema, raw);
    if (!plain || !r.params) return r;
    const params = r.params as Record<string, unknown>;
    for (const key in params) if (Array.isArray(params[key])) Object.freeze(params[key]);
    Object.freeze(params);
    if (!list) this.kept.set(schema, (list = []));
    if (list.length === MEMO_PER_SCHEMA) list.pop();
    list.unshift({ raw: raw as Record<string, unknown>, params });
    return r;
  }
}

/**
 * The params a freshly dropped node starts with: each param's `initial` value, else its default.
 * @example defaultParams(getLayerKind('conv2d')!.params) // → { filters: 64, kernelSize: 3, strides: 1, … }
 */
export function defaultParams(schema: ParamSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    if (!paramApplies(spec, out, schema)) continue; // a param of another fn (a leaky ReLU's alpha on a relu)
    const v = spec.initial ?? spec.default;
    if (v !== undefined) out[key] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}
