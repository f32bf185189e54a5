/**
 * The shape of a Keras/tfjs `model.json` topology, as zod schemas: the file's wrapper, each layer entry, each
 * layer's inbound nodes (Keras 2/tfjs lists and Keras 3 `{ args, kwargs }`), and the config fields Convas reads
 * for each layer class. Pure TypeScript (zod only), loaded with the importer.
 *
 * Every schema has a fixed depth: nothing here walks a value recursively, so a hostile file (deeply nested
 * `args`, a huge nested list) is refused at the first level that does not fit, never by exhausting the stack.
 * Formats: Keras `Model.get_config()` / `to_json()` (Keras 2 `inbound_nodes: [[[name, node, tensor, kwargs], …]]`,
 * Keras 3 `inbound_nodes: [{ args: [tensor | [tensor, …]], kwargs }]` with tensors serialized as
 * `{ class_name: "__keras_tensor__", config: { keras_history: [name, node, tensor] } }`), and tfjs
 * `model.toJSON()` / `model.json` (`{ modelTopology }`, Keras 2's layout).
 */

import { z } from 'zod';
import type { KerasWriter } from './keras-rule.ts';

/** A positive integer (filters, units, kernel sides). */
export const posInt = z.number({ error: 'expected a positive integer' }).int('expected a positive integer').positive('expected a positive integer');
/** An integer ≥ 0 (padding sides, slice offsets). */
export const nonNegInt = z.number({ error: 'expected an integer ≥ 0' }).int('expected an integer ≥ 0').nonnegative('expected an integer ≥ 0');

/** Keras `int or tuple of 2 ints` (kernel_size, strides, pool_size, dilation_rate). */
export const int2 = z.union([posInt, z.array(posInt).min(1).max(2)], { error: 'expected a positive integer or a list of 1 or 2 of them' });

/** A layer's padding word. Keras also has `causal` (1-D only), which Convas does not. */
export const paddingWord = z.enum(['valid', 'same'], { error: 'expected "valid" or "same"' });

/**
 * A Keras activation: a name, `null` (Keras's None: linear), or a serialized object (Keras 3 may write
 * `{ class_name: "function", config: "relu" }`; a layer object names itself in `config.name` or `class_name`).
 */
export const activationField = z.union([
  z.string(),
  z.null(),
  z.object({ class_name: z.string().optional(), config: z.union([z.string(), z.object({ name: z.string().optional() }).loose(), z.null()]).optional() }).loose(),
], { error: 'expected an activation name' });

const dataFormat = z.union([z.string(), z.null()], { error: 'expected "channels_last"' }).optional();

/** A batch shape `[batch, …dims]`, dims positive integers or null (unknown). */
export const batchShape = z.array(z.union([posInt, z.null()], { error: 'expected a positive integer or null' }), { error: 'expected a list like [null, 224, 224, 3]' });

/** ZeroPadding2D / ConstantPad2d padding: an int, `[ph, pw]`, or `[[top, bottom], [left, right]]`. */
export const padding2d = z.union([
  nonNegInt,
  z.tuple([nonNegInt, nonNegInt]),
  z.tuple([z.tuple([nonNegInt, nonNegInt]), z.tuple([nonNegInt, nonNegInt])]),
], { error: 'expected an integer, [ph, pw] or [[top, bottom], [left, right]]' });

/** The fields every layer config may have: its name and data format (the importer refuses any but channels-last). */
export const commonFields = { name: z.string().optional(), data_format: dataFormat };

/**
 * The config fields Convas reads of its own helper layers, the ones its tfjs export adds around a node and the
 * importer folds back (keras-import.ts); other fields are ignored. Each kind's own classes have their schemas
 * in its Keras rule (`src/kinds/<kind>/keras.ts`).
 */
export const HELPER_SCHEMAS = {
  ConvasConstantPad2d: z.object({
    ...commonFields, padding: padding2d,
    value: z.union([z.number(), z.string(), z.null()], { error: 'expected a number or "-Infinity"' }).optional(),
  }),
  ConvasPoolCountScale: z.object({
    ...commonFields,
    rows: z.array(z.number().positive().finite()).min(1), cols: z.array(z.number().positive().finite()).min(1),
  }),
} as const;

/** A helper layer class of Convas's tfjs export. */
export type HelperClass = keyof typeof HELPER_SCHEMAS;

/** One layer entry of `config.layers`. */
export const layerEntry = z.object({
  class_name: z.string({ error: 'expected a class name (text)' }),
  name: z.string().optional(),
  config: z.record(z.string(), z.unknown(), { error: 'expected an object of the layer\'s settings' }).optional(),
  inbound_nodes: z.array(z.unknown(), { error: 'expected a list' }).optional(),
}, { error: 'expected a layer ({ class_name, config })' });

const nodeRef = z.tuple([z.string({ error: 'expected a layer name' }), z.number().int(), z.number().int()], z.unknown());

/** A Keras 2 / tfjs inbound node: a list of `[layer name, node index, tensor index, kwargs?]`. */
export const keras2Node = z.array(nodeRef, { error: 'expected a list of [layer name, node index, tensor index] references' });

/** A Keras 3 serialized symbolic tensor. */
const kerasTensor = z.object({
  class_name: z.literal('__keras_tensor__', { error: 'expected a Keras tensor ({ class_name: "__keras_tensor__" })' }),
  config: z.object({ keras_history: z.tuple([z.string(), z.number().int(), z.number().int()], { error: 'expected [layer name, node index, tensor index]' }) }).loose(),
}, { error: 'expected a Keras tensor ({ class_name: "__keras_tensor__" })' });

/** A Keras 3 inbound node: `{ args: [tensor | [tensor, …]], kwargs }` (one level of list, as Keras writes a merge's inputs). */
export const keras3Node = z.object({
  args: z.array(z.union([kerasTensor, z.array(kerasTensor, { error: 'expected a list of Keras tensors' })], { error: 'expected a Keras tensor or a list of Keras tensors' })),
  kwargs: z.record(z.string(), z.unknown()).optional(),
}, { error: 'expected { args, kwargs }' });

/** A serialized Keras 3 tensor anywhere in `kwargs` (one level deep): an input Convas would otherwise miss. */
export function isKerasTensor(v: unknown): boolean {
  return !!v && typeof v === 'object' && (v as { class_name?: unknown }).class_name === '__keras_tensor__';
}

/** The topology itself: `Sequential`/`Model`/`Functional` with a layer list (old Sequential: the list is the config). */
export const topologySchema = z.object({
  class_name: z.string({ error: 'expected a class name (text)' }),
  config: z.union([
    z.array(z.unknown()),
    z.object({ name: z.string().optional(), layers: z.array(z.unknown(), { error: 'expected a list of layers' }) }).loose(),
  ], { error: 'expected a config with a list of layers' }),
});

/**
 * A short preview of a value for a message: JSON text cut at 40 characters. Written without recursion (a hostile
 * file may nest lists 100,000 deep, which `JSON.stringify` cannot print), and it stops as soon as it has enough.
 */
export function preview(v: unknown, limit = 40): string {
  if (v === undefined) return 'nothing';
  let out = '';
  // a stack of things still to print: values, or literal text (closing brackets, commas)
  const stack: ({ text: string } | { value: unknown })[] = [{ value: v }];
  while (stack.length && out.length <= limit) {
    const top = stack.pop()!;
    if ('text' in top) {
      out += top.text;
      continue;
    }
    const x = top.value;
    if (Array.isArray(x)) {
      out += '[';
      stack.push({ text: ']' });
      for (let i = x.length - 1; i >= 0; i--) {
        stack.push({ value: x[i] });
        if (i > 0) stack.push({ text: ',' });
      }
    } else if (x !== null && typeof x === 'object') {
      const entries = Object.entries(x as Record<string, unknown>);
      out += '{';
      stack.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i][1] });
        stack.push({ text: `${JSON.stringify(entries[i][0])}:` });
        if (i > 0) stack.push({ text: ',' });
      }
    } else {
      out += typeof x === 'number' || typeof x === 'boolean' || x === null || typeof x === 'string' ? JSON.stringify(x) : String(x);
    }
  }
  return out.length > limit ? `${out.slice(0, limit - 3)}...` : out;
}

/**
 * The first problem zod found in `input`, as "field 'a.b': expected …, got …" ("… is missing" for an absent
 * required field). `prefix` is the path of `input` in the file, e.g. `inbound_nodes.0`.
 */
export function describeIssue(error: z.ZodError, input: unknown, prefix = ''): string {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
  let at: unknown = input;
  for (const k of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
  if (!path) return at === undefined ? 'nothing there' : `${issue.message}, got ${preview(at)}`;
  return at === undefined ? `field '${path}' is missing` : `field '${path}': ${issue.message}, got ${preview(at)}`;
}

/**
 * Which Keras wrote a `model.json` or `to_json()` file, and the version it states, for the definitions that
 * changed between Keras 2 and 3 (`hard_sigmoid`): first the version the file states, `keras_version` (beside the
 * topology, in tfjs's `modelTopology`, or at the top) or tfjs's `generatedBy` ("keras v2.15.0", "TensorFlow.js
 * tfjs-layers v4.22.0"); else a layout only Keras 3 writes (Keras 3's `to_json()` states no version): a layer
 * called with `{ args, kwargs }`, or an `InputLayer` with `batch_shape` (Keras 2 and tfjs write lists and
 * `batch_input_shape`). Null where the file says neither.
 * @example kerasWriterOf({ modelTopology: { keras_version: 'tfjs-layers 4.22.0' } }) // → { writer: 'tfjs', version: 'tfjs-layers 4.22.0' }
 */
export function kerasWriterOf(json: unknown): { writer: KerasWriter; version: string | null } {
  const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const top = obj(json);
  const topology = obj(top?.modelTopology) ?? top;
  const stated = [topology?.keras_version, top?.keras_version, top?.generatedBy].find((v): v is string => typeof v === 'string');
  if (stated !== undefined) {
    if (/tfjs|tensorflow\.js/i.test(stated)) return { writer: 'tfjs', version: stated };
    const major = /(\d+)\./.exec(stated);
    if (major) return { writer: Number(major[1]) >= 3 ? 'keras3' : 'keras2', version: stated };
  }
  const model = obj(topology?.model_config) ?? topology;
  const config = model?.config;
  const layers = Array.isArray(config) ? config : obj(config)?.layers;
  const keras3 = Array.isArray(layers) && layers.some((l) => {
    const layer = obj(l);
    const node = Array.isArray(layer?.inbound_nodes) ? obj(layer.inbound_nodes[0]) : null;
    return (node !== null && Array.isArray(node.args)) || (layer?.class_name === 'InputLayer' && obj(layer.config)?.batch_shape !== undefined);
  });
  return keras3 ? { writer: 'keras3', version: null } : { writer: null, version: stated ?? null };
}
