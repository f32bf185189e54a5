/**
 * A Keras or tfjs `model.json` topology (functional or sequential) → a Convas design. Pure TypeScript.
 * Accepts the tfjs file (`{ modelTopology: … }`), a bare Keras topology (`{ class_name, config }`, Keras 2 or
 * Keras 3 `to_json()`), and `model.toJSON()` output. The file is validated against the schemas of
 * `keras-schema.ts` first, each layer's config against its class's schema: a kind's classes are listed, with their
 * schemas and their conversion to the kind's params, in the kind's Keras rule (`src/kinds/<kind>/keras.ts`, table
 * `src/kinds/keras.ts`); Convas's own helper classes are here. A layer, option or layout Convas cannot express is
 * an `ImportError` that names the layer and the field. Nothing is dropped silently. Positions are left out (the editor lays the design out on load).
 *
 * Merge inputs: every edge into a node with several inputs carries `targetPort` = its place in the layer's
 * Keras inbound list, so input order never depends on the order of edges in the file (docs/design-format.md#input-order).
 *
 * The model's inputs and outputs (docs/design-format.md#outputs): the input nodes come in `input_layers` order, and the
 * design's `outputs` list is written from `output_layers` wherever it is not the nodes that feed nothing in file
 * order (an output that also feeds a layer, an input that is an output, heads in another order); see keras-ends.ts.
 *
 * Convas's own tfjs exports read back to the design that wrote them (src/drivers/compile/index.ts): the helper layers
 * the compiler adds are folded back into their node, each only where the structure is exactly what the
 * compiler writes and the numbers check out against the imported design's analysis:
 * - a grouped convolution: one `ConvasChannelSlice` (`<id>__slice<g>`) + `Conv2D` per group, a `Concatenate`, and
 *   for a non-linear activation an `Activation` after it (`<id>__concat` → `<id>`) → one `conv2d` with `groups`
 *   (a `ConvasChannelSlice` of any other name is a `channelSlice` node);
 * - a channel shuffle: `Reshape` `<id>__groups` → `Permute` `<id>__swap` → `Reshape` `<id>` → one `channelShuffle`;
 * - explicit padding: a `ZeroPadding2D` named `<id>__pad` before a 'valid' conv, depthwise conv or average pool
 *   → the node's `padding`; asymmetric (bottom/right larger) before an average pool → `ceilMode`;
 * - a −∞ `ConvasConstantPad2d` before a max pool → its `padding` (asymmetric → `ceilMode`);
 * - a `ConvasPoolCountScale` after a ceil-mode average pool (PyTorch's divisor for the last window);
 * - an uneven `'same'` padding written out (`<id>__pad`, more after than before) before a conv → `'same'`;
 * - a 1×1 `AveragePooling2D` named `<id>__stride` after a stride-1 dilated conv → the conv's strides (tfjs runs
 *   dilation only at stride 1);
 * - a `Reshape` named `<id>__dup<k>` (a tensor fed to one layer twice) → an edge from that tensor; any other
 *   `Reshape` to a flat `[N]` is a `flatten` (Convas writes one for a flatten of a flat vector).
 * And one pattern Keras models write: a `Reshape` to `(1, 1, C)` after a flat global pool that feeds only it
 * (squeeze-and-excitation, as Keras's EfficientNet writes it) → the pool's `keepDims`; one of a `[C]` tensor that
 * feeds only `Multiply` layers → dropped (a `[C]` gate broadcasts as the `[1, 1, C]` one). Any other reshape to
 * three axes is refused.
 * A groups == channels conv comes back as the equivalent `depthwiseConv2d` (same numbers; tfjs has one layer).
 */

import type { z } from 'zod';
import { ceilCountScale, window2d, withOutputs, type Design, type DesignEdge, type DesignNode, type PaddingValue, type Pair, type Shape } from '../../engine/index.ts';
import { importedNodeIds, isTfjsHelperOf } from '../../engine/names.ts';
import { eachRule, resolve } from '../../engine/resolve.ts';
import { SHUFFLE_HELPERS, swapLastTwo } from '../../kinds/channel-shuffle/keras.ts';
import { KERAS_RULES } from '../../kinds/keras.ts';
import type { KindName, KindParams } from '../../kinds/registry.ts';
import type { KerasRuleOf } from '../../kinds/rules.ts';
import { activationName, hardSigmoidProblem, ImportError, int2, type KerasClassRule, pair, type Pads, sides, symmetric } from '../../backends/keras-rule.ts';
import {
  batchShape, describeIssue, HELPER_SCHEMAS, isKerasTensor, keras2Node, keras3Node, kerasWriterOf, layerEntry, preview,
  topologySchema,
} from '../../backends/keras-schema.ts';

import { kerasEnds, type KerasEnds } from './keras-ends.ts';
import { checkAgainstManifest, manifestWeights, recoverFromManifest } from './keras-weights.ts';

export { ImportError } from '../../backends/keras-rule.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Keras class that reads as a kind: the kind and the class's rule. */
export interface KerasClassEntry {
  kind: KindName;
  rule: KerasClassRule<KindParams<KindName>>;
}

/**
 * The class → kind lookup of a table of Keras rules (every class each kind's rule lists).
 * @throws Error when two kinds claim one class, or a kind claims one of Convas's helper classes.
 */
export function kerasClassLookup(rules: { [K in KindName]: KerasRuleOf<K> }): ReadonlyMap<string, KerasClassEntry> {
  const lookup = new Map<string, KerasClassEntry>();
  eachRule(rules, (kind, { classes }) => {
    for (const [cls, rule] of Object.entries(classes)) {
      const other = lookup.get(cls)?.kind ?? (Object.hasOwn(HELPER_SCHEMAS, cls) ? 'Convas\'s helper layers' : null);
      if (other) throw new Error(`Keras class ${cls} is claimed by both ${other} and ${kind}`);
      lookup.set(cls, { kind, rule });
    }
  });
  return lookup;
}

/** Every Keras/tfjs class that reads as a kind, from the kinds' Keras rules (src/kinds/keras.ts). */
const KERAS_CLASSES = kerasClassLookup(KERAS_RULES);

/** The convolution classes whose helper pads and strides fold back (their rules say `convolution`). */
const CONV_CLASSES: ReadonlySet<string> = new Set([...KERAS_CLASSES].filter(([, e]) => e.rule.convolution).map(([cls]) => cls));

const isHelperClass = (cls: string): cls is keyof typeof HELPER_SCHEMAS => Object.hasOwn(HELPER_SCHEMAS, cls);

/** One parsed, validated layer. `inputs` are layer names in Keras inbound order. */
interface Layer {
  index: number;
  name: string;
  className: string;
  config: Json;
  inputs: string[];
}

const CLASS_ALIASES: Record<string, string> = { ConstantPad2d: 'ConvasConstantPad2d' };

function validateConfig(className: string, name: string, config: unknown): Json {
  const schema: z.ZodType = isHelperClass(className) ? HELPER_SCHEMAS[className] : KERAS_CLASSES.get(className)!.rule.schema;
  const r = schema.safeParse(config ?? {});
  if (!r.success) throw new ImportError(`layer '${name}' (${className}): ${describeIssue(r.error, config ?? {})}`);
  const c = r.data as Json;
  if (c.data_format != null && c.data_format !== 'channels_last') {
    throw new ImportError(`layer '${name}' (${className}): field 'data_format': "${c.data_format}" (Convas is channels-last)`);
  }
  return c;
}

/** The inbound layer names of a functional layer's only call (Keras 2/tfjs lists, Keras 3 `{ args, kwargs }`). */
function inboundNames(name: string, nodes: unknown[] | undefined): string[] {
  if (!nodes || nodes.length === 0) return [];
  if (nodes.length > 1) throw new ImportError(`layer '${name}': field 'inbound_nodes': called ${nodes.length} times (shared layers are not supported)`);
  const first = nodes[0];
  let refs: [string, number, number][];
  if (Array.isArray(first)) {
    const r = keras2Node.safeParse(first);
    if (!r.success) throw new ImportError(`layer '${name}': ${describeIssue(r.error, first, 'inbound_nodes.0')}`);
    refs = r.data.map((t) => [t[0], t[1], t[2]]);
  } else {
    const r = keras3Node.safeParse(first);
    if (!r.success) throw new ImportError(`layer '${name}': ${describeIssue(r.error, first, 'inbound_nodes.0')}`);
    for (const [k, v] of Object.entries(r.data.kwargs ?? {})) {
      if (isKerasTensor(v) || (Array.isArray(v) && v.some(isKerasTensor))) {
        throw new ImportError(`layer '${name}': field 'inbound_nodes.0.kwargs.${k}': a tensor passed by keyword (Convas reads a layer's inputs from args)`);
      }
    }
    refs = r.data.args.flatMap((a) => (Array.isArray(a) ? a : [a])).map((t) => t.config.keras_history);
  }
  for (const [src, node, tensor] of refs) {
    if (node !== 0) throw new ImportError(`layer '${name}': its input is call ${node} of layer '${src}' (shared layers are not supported)`);
    if (tensor !== 0) throw new ImportError(`layer '${name}': its input is output ${tensor} of layer '${src}' (Convas layers have one output)`);
  }
  return refs.map((r) => r[0]);
}

/** The topology's class, name and validated layers (a Sequential's inputs filled in, its input layer made if absent). */
function parseTopology(json: unknown): { cls: string; modelName?: string; layers: Layer[]; ends: KerasEnds } {
  let topo = json as Json;
  if (topo && typeof topo === 'object' && !Array.isArray(topo) && 'modelTopology' in topo) topo = topo.modelTopology;
  if (topo && typeof topo === 'object' && !Array.isArray(topo) && 'model_config' in topo) topo = topo.model_config;
  if (!topo || typeof topo !== 'object' || Array.isArray(topo) || typeof topo.class_name !== 'string') {
    throw new ImportError('not a Keras/tfjs model topology (no class_name; expected model.json or model.toJSON())');
  }
  const t = topologySchema.safeParse(topo);
  if (!t.success) throw new ImportError(`${topo.class_name}: ${describeIssue(t.error, topo)}`);
  const cls = t.data.class_name;
  const sequential = cls === 'Sequential';
  if (!sequential && cls !== 'Model' && cls !== 'Functional') throw new ImportError(`${cls}: expected a Sequential, Model or Functional topology`);
  const rawLayers = Array.isArray(t.data.config) ? t.data.config : t.data.config.layers;
  const modelName = Array.isArray(t.data.config) ? undefined : t.data.config.name;
  // a Sequential's input is its first layer's and its output its last layer's: the design's default order
  const ends = sequential || Array.isArray(t.data.config) ? { inputs: null, outputs: null } : kerasEnds(t.data.config);

  const writer = kerasWriterOf(json);
  const layers: Layer[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of rawLayers.entries()) {
    const e = layerEntry.safeParse(raw);
    if (!e.success) {
      const r = raw as Json;
      const known = typeof r?.config?.name === 'string' ? r.config.name : typeof r?.name === 'string' ? r.name : null;
      throw new ImportError(`${known === null ? `layers[${i}]` : `layer '${known}'`}: ${describeIssue(e.error, raw)}`);
    }
    const entry = e.data;
    const rawName = entry.config?.name ?? entry.name;
    if (rawName !== undefined && (typeof rawName !== 'string' || rawName === '')) {
      throw new ImportError(`layers[${i}] (${entry.class_name}): field 'config.name': expected a layer name, got ${preview(rawName)}`);
    }
    if (rawName === undefined && !sequential) throw new ImportError(`layers[${i}] (${entry.class_name}): field 'config.name' is missing`);
    let name = (rawName as string | undefined) ?? `${entry.class_name.toLowerCase()}_${i}`;
    if (seen.has(name)) {
      if (rawName !== undefined) throw new ImportError(`layers[${i}]: two layers are named '${name}'`);
      for (let k = 2; seen.has(name); k++) name = `${entry.class_name.toLowerCase()}_${i}_${k}`;
    }
    const className = (Object.hasOwn(CLASS_ALIASES, entry.class_name) ? CLASS_ALIASES[entry.class_name] : entry.class_name);
    if (!KERAS_CLASSES.has(className) && !isHelperClass(className)) throw new ImportError(`layer '${name}': ${entry.class_name} is not a layer Convas knows`);
    const config = validateConfig(className, name, entry.config);
    // hard_sigmoid changed meaning between Keras 2 (and tfjs) and Keras 3: only a file Keras 3 wrote keeps it
    const hardSigmoid = config.activation === undefined ? null : hardSigmoidProblem(name, config.activation, writer.writer, writer.version);
    if (hardSigmoid) throw new ImportError(hardSigmoid);
    if (sequential && layers.length === 0 && className !== 'InputLayer') {
      const shapeRaw = entry.config?.batch_input_shape ?? entry.config?.batch_shape;
      if (shapeRaw === undefined) throw new ImportError(`Sequential: the first layer '${name}' has no batch_input_shape (and there is no InputLayer)`);
      const s = batchShape.safeParse(shapeRaw);
      if (!s.success) throw new ImportError(`layer '${name}': ${describeIssue(s.error, shapeRaw, 'batch_input_shape')}`);
      let inName = 'input';
      for (let k = 2; rawLayers.some((l) => (l as Json)?.config?.name === inName || (l as Json)?.name === inName); k++) inName = `input_${k}`;
      layers.push({ index: -1, name: inName, className: 'InputLayer', config: { batch_input_shape: s.data }, inputs: [] });
      seen.add(inName);
    }
    const inputs = sequential ? (layers.length ? [layers[layers.length - 1].name] : []) : inboundNames(name, entry.inbound_nodes);
    for (const src of inputs) {
      if (!seen.has(src)) throw new ImportError(`layer '${name}': its input '${src}' is not defined before it`);
    }
    layers.push({ index: i, name, className, config, inputs });
    seen.add(name);
  }
  return { cls, modelName, layers, ends };
}

/** A validated Keras layer → Convas kind and params, by its kind's Keras rule (helper layers are folded by the caller). */
function convert(layer: Layer): { kind: KindName; params: Json } {
  const { className, name } = layer;
  switch (className) {
    case 'ConvasConstantPad2d':
      throw new ImportError(`layer '${name}': a −∞ ConvasConstantPad2d that does not feed one max pool (Convas writes it only before a max pool)`);
    case 'ConvasPoolCountScale':
      throw new ImportError(`layer '${name}': a ConvasPoolCountScale that does not follow one average pool`);
  }
  const { kind, rule } = KERAS_CLASSES.get(className)!;
  return { kind, params: rule.convert(layer.config, name) as Json };
}

/** A check that needs the imported design's analysis: the shape of the node's first input. */
interface ShapeCheck {
  /** the layer whose output shape the check reads (resolved to its node) */
  inputLayer: string;
  /** the problem, or null when the numbers agree; `shape` is null when the analysis could not compute it */
  check: (shape: Shape | null) => string | null;
}

const NEG_INF = /^-_?infinity$/i;

/** A grouped convolution's slice as the compiler writes it (conv2d/tfjs.ts: `<id>__slice<g>`, maybe `_k` after). */
const isGroupSlice = (l: Layer | undefined) => l?.className === 'ConvasChannelSlice' && /__slice\d+(_\d+)?$/.test(l.name);


/**
 * The nodes with the input nodes in `input_layers` order (each in the place of one of them in the file, so the rest of
 * the file keeps its order): the design's inputs are its `input` nodes in file order (docs/design-format.md#outputs).
 * @throws ImportError when `input_layers` names a layer that is not an InputLayer, or leaves one out
 */
function orderInputNodes(nodes: DesignNode[], inputs: string[] | null, layers: Layer[], nodeOf: (layer: string) => string): DesignNode[] {
  if (inputs === null) return nodes;
  const byName = new Map(layers.map((l) => [l.name, l]));
  for (const n of inputs) {
    const l = byName.get(n);
    if (!l) throw new ImportError(`field 'input_layers': layer '${n}' is not one of the model's layers`);
    if (l.className !== 'InputLayer') throw new ImportError(`field 'input_layers': layer '${n}' is a ${l.className}, not an InputLayer`);
  }
  const missing = layers.find((l) => l.className === 'InputLayer' && !inputs.includes(l.name));
  if (missing) throw new ImportError(`layer '${missing.name}': an InputLayer that is not one of the model's input_layers`);
  const order = inputs.map(nodeOf);
  const places = new Map(order.map((id, k) => [id, k]));
  const inOrder = nodes.filter((n) => places.has(n.id)).sort((a, b) => places.get(a.id)! - places.get(b.id)!);
  let k = 0;
  return nodes.map((n) => (places.has(n.id) ? inOrder[k++] : n));
}

/**
 * The node ids of `output_layers`, in order.
 * @param nodeOf the node that carries a layer's output, or null for a helper layer folded into the layer after it
 * @throws ImportError for a layer that is not in the model, or that is folded into another node
 */
function outputIds(outputs: string[], byName: ReadonlyMap<string, Layer>, nodeOf: (layer: string) => string | null): string[] {
  const ids = outputs.map((n) => {
    if (!byName.has(n)) throw new ImportError(`field 'output_layers': layer '${n}' is not one of the model's layers`);
    const id = nodeOf(n);
    if (id === null) throw new ImportError(`layer '${n}': a helper layer Convas folds into the layer after it cannot be one of the model's outputs`);
    return id;
  });
  const twice = ids.find((id, k) => ids.indexOf(id) !== k);
  if (twice !== undefined) throw new ImportError(`field 'output_layers': two outputs are the same node '${twice}' (a Convas design lists each output once)`);
  return ids;
}

/**
 * Reads a Keras/tfjs topology into a design. Throws an `ImportError` naming the layer and field for anything
 * Convas cannot express or that does not fit the format.
 * @example importKeras(JSON.parse(readFileSync('model.json', 'utf8')))
 */
export function importKeras(json: unknown, name?: string): Design {
  const { cls, modelName, layers, ends } = parseTopology(json);
  // settings a config leaves out that its weights prove (tfjs drops a separable conv's depth_multiplier)
  const manifest = manifestWeights(json);
  if (manifest) recoverFromManifest(layers, manifest);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumers = new Map<string, Layer[]>();
  for (const l of layers) {
    for (const s of l.inputs) {
      const list = consumers.get(s);
      if (list) list.push(l);
      else consumers.set(s, [l]);
    }
  }
  const consumersOf = (n: string) => consumers.get(n) ?? [];
  const sole = (n: string) => {
    const c = consumersOf(n);
    return c.length === 1 ? c[0] : undefined;
  };

  /** Layers folded into another layer's node. */
  const absorbed = new Set<string>();
  /** A layer whose output another layer's node carries (a count scale → its pool). */
  const alias = new Map<string, string>();
  /**
   * Replacement kind/params/inputs of a layer that stands for a folded group; `ownChecks`: the fold checked the
   * group's shapes itself, and the layer's class rule (a Reshape's, which reads it as a flatten) does not apply.
   */
  const planned = new Map<string, { kind: KindName; params: Json; inputs: string[]; ownChecks?: true }>();
  /** Explicit padding folded into a conv/pool from the helper pad before it. */
  const padFold = new Map<string, { pads: Pads; from: string; pad: string }>();
  /** The stride of a dilated conv that tfjs ran at stride 1 and subsampled (`<id>__stride`, step 3b). */
  const strideFold = new Map<string, Pair>();
  const checks: ShapeCheck[] = [];

  // 1. Grouped convolutions: slices → convs → concat (→ activation).
  for (const k of layers) {
    if (k.className !== 'Concatenate') continue;
    const parts = k.inputs.map((n) => byName.get(n)!);
    // a group's slice is named `<id>__slice<g>`; a ConvasChannelSlice of any other name is a channelSlice node
    const sliced = parts.filter((p) => p.className === 'Conv2D' && p.inputs.length === 1 && isGroupSlice(byName.get(p.inputs[0])));
    if (sliced.length === 0) continue;
    const refuse = (why: string) => new ImportError(`layer '${k.name}': a Concatenate of ConvasChannelSlice convolutions that is not a grouped convolution Convas wrote (${why})`);
    if (sliced.length !== parts.length) throw refuse('some of its inputs are not sliced convolutions');
    if (new Set(parts.map((p) => p.name)).size !== parts.length) throw refuse('one convolution feeds it twice');
    const slices = parts.map((p) => byName.get(p.inputs[0])!);
    const g0 = parts[0].config;
    const size = slices[0].config.size as number;
    const src = slices[0].inputs[0];
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    for (const [g, conv] of parts.entries()) {
      const s = slices[g];
      if (consumersOf(conv.name).length !== 1) throw refuse(`convolution '${conv.name}' has other consumers`);
      if (consumersOf(s.name).length !== 1) throw refuse(`slice '${s.name}' has other consumers`);
      if (s.inputs[0] !== src) throw refuse(`slice '${s.name}' reads another tensor than '${slices[0].name}'`);
      if (s.config.begin !== g * size || s.config.size !== size) throw refuse(`slice '${s.name}' is channels ${s.config.begin}..${s.config.begin + s.config.size - 1}, not group ${g}'s ${g * size}..${(g + 1) * size - 1}`);
      const c = conv.config;
      for (const f of ['filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'use_bias'] as const) {
        if (!same(c[f], g0[f])) throw refuse(`field '${f}' of '${conv.name}' differs from '${parts[0].name}'`);
      }
      if ((c.groups ?? 1) !== 1) throw refuse(`'${conv.name}' has groups ${c.groups}`);
      if (activationName(conv.name, c.activation) !== 'linear') throw refuse(`'${conv.name}' has an activation (Convas applies it after the concatenation)`);
    }
    let owner = k;
    let activation = 'linear';
    const after = sole(k.name);
    if (after?.className === 'Activation' && isTfjsHelperOf(k.name, after.name, 'concat')) {
      owner = after;
      activation = activationName(after.name, after.config.activation);
      absorbed.add(k.name);
    }
    let padding: unknown = g0.padding ?? 'valid';
    let from = src;
    const srcLayer = byName.get(src)!;
    const s = srcLayer.className === 'ZeroPadding2D' ? sides(srcLayer.config.padding) : null;
    if (s && isTfjsHelperOf(src, owner.name, 'pad') && padding === 'valid' && consumersOf(src).length === slices.length
      && (symmetric(s) || (s[0][1] >= s[0][0] && s[1][1] >= s[1][0]))) {
      from = srcLayer.inputs[0];
      absorbed.add(src);
      if (symmetric(s)) padding = int2([s[0][0], s[1][0]]);
      else {
        // more after than before: the conv's 'same' padding written out (tfjs-wasm's own is wrong there)
        padding = 'same';
        const g = { kernel: pair(int2(g0.kernel_size)), dilation: pair(int2(g0.dilation_rate ?? 1)) };
        checks.push({ inputLayer: from, check: (shape) => {
          if (!shape) return null;
          const r = window2d(shape[0], shape[1], { ...g, stride: strideFold.get(owner.name) ?? pair(int2(g0.strides ?? 1)), padding: 'same' });
          const ok = 'ok' in r && r.ok.before.join() === [s[0][0], s[1][0]].join() && r.ok.after.join() === [s[0][1], s[1][1]].join();
          return ok ? null : `layer '${src}': padding ${JSON.stringify(s)} before '${owner.name}' is neither symmetric nor its 'same' padding on a [${shape.join(', ')}] input`;
        } });
      }
    }
    for (const l of [...slices, ...parts]) absorbed.add(l.name);
    const groups = parts.length;
    // one Conv2D with all the groups' filters, the groups, and the activation after the concatenation
    const whole = convert({ ...parts[0], name: owner.name, config: { ...g0, filters: (g0.filters as number) * groups, groups, activation } });
    whole.params.padding = padding;
    planned.set(owner.name, { ...whole, inputs: [from] });
    checks.push({ inputLayer: from, check: (shape) => (!shape || shape[2] === groups * size ? null
      : `layer '${k.name}': its ${groups} channel slices of ${size} cover ${groups * size} channels, but their input has ${shape[2]}`) });
  }

  // 2. Helper pads before a conv or pool.
  for (const p of layers) {
    if (absorbed.has(p.name)) continue;
    if (p.className === 'ZeroPadding2D') {
      const c = sole(p.name);
      if (!c || !isTfjsHelperOf(p.name, c.name, 'pad') || (c.config.padding ?? 'valid') !== 'valid') continue;
      const s = sides(p.config.padding);
      const avg = c.className === 'AveragePooling2D';
      if (!avg && !CONV_CLASSES.has(c.className)) continue;
      // more after than before: a ceil-mode average pool, or a conv's 'same' padding written out (checked below)
      if (!symmetric(s) && !(s[0][1] >= s[0][0] && s[1][1] >= s[1][0])) continue;
      padFold.set(c.name, { pads: s, from: p.inputs[0], pad: p.name });
      absorbed.add(p.name);
    } else if (p.className === 'ConvasConstantPad2d') {
      const v = p.config.value;
      if (!(v === null || v === undefined || v === -Infinity || (typeof v === 'string' && NEG_INF.test(v)))) {
        throw new ImportError(`layer '${p.name}': field 'value': ${preview(v)} (Convas writes this layer only with −∞, before a max pool)`);
      }
      const c = sole(p.name);
      if (c?.className !== 'MaxPooling2D') continue; // refused by convert()
      if ((c.config.padding ?? 'valid') !== 'valid') throw new ImportError(`layer '${p.name}': −∞ padding before '${c.name}', a '${c.config.padding}' pool`);
      const s = sides(p.config.padding);
      if (s[0][1] < s[0][0] || s[1][1] < s[1][0]) throw new ImportError(`layer '${p.name}': field 'padding': −∞ padding ${JSON.stringify(s)} larger before than after (a ceil-mode pool pads more after)`);
      padFold.set(c.name, { pads: s, from: p.inputs[0], pad: p.name });
      absorbed.add(p.name);
    }
  }

  // 3. Count scales after ceil-mode average pools.
  const countScale = new Map<string, Layer>();
  for (const s of layers) {
    if (s.className !== 'ConvasPoolCountScale') continue;
    const a = byName.get(s.inputs[0]);
    if (s.inputs.length !== 1 || a?.className !== 'AveragePooling2D' || consumersOf(a.name).length !== 1) continue; // refused by convert()
    countScale.set(a.name, s);
    absorbed.add(s.name);
    alias.set(s.name, a.name);
  }

  // 3b. A stride-1 dilated conv and the 1×1 pool that keeps every s-th output: one conv with the stride.
  for (const q of layers) {
    if (q.className !== 'AveragePooling2D' || q.inputs.length !== 1) continue;
    const conv = byName.get(q.inputs[0])!;
    if (!isTfjsHelperOf(q.name, conv.name, 'stride') || consumersOf(conv.name).length !== 1) continue;
    if (pair(int2(q.config.pool_size ?? 2)).join() !== '1,1' || (q.config.padding ?? 'valid') !== 'valid') continue;
    strideFold.set(conv.name, pair(int2(q.config.strides ?? q.config.pool_size)));
    absorbed.add(q.name);
    alias.set(q.name, conv.name);
  }
  // 3c. A copy of a tensor that one layer takes twice: the layer reads the tensor itself.
  for (const r of layers) {
    if (r.className !== 'Reshape' || r.inputs.length !== 1 || !/__dup\d+$/.test(r.name)) continue;
    absorbed.add(r.name);
    alias.set(r.name, r.inputs[0]);
    checks.push({ inputLayer: r.inputs[0], check: (shape) => (!shape || shape.join() === (r.config.target_shape as number[]).join() ? null
      : `layer '${r.name}': a Reshape to ${preview(r.config.target_shape)} of a [${shape.join(', ')}] tensor is not the copy Convas writes`) });
  }

  // 3d. A channel shuffle: Reshape `<id>__groups` → Permute `<id>__swap` of its last two axes → Reshape `<id>`.
  for (const r of layers) {
    if (r.className !== 'Reshape' || r.inputs.length !== 1) continue;
    const p = byName.get(r.inputs[0])!;
    if (p.className !== 'Permute' || !isTfjsHelperOf(p.name, r.name, SHUFFLE_HELPERS.swap) || consumersOf(p.name).length !== 1) continue;
    const q = byName.get(p.inputs[0])!;
    if (q.className !== 'Reshape' || !isTfjsHelperOf(q.name, r.name, SHUFFLE_HELPERS.split) || consumersOf(q.name).length !== 1) continue;
    const split = q.config.target_shape as number[];
    const whole = r.config.target_shape as number[];
    if (split.length < 2 || preview(p.config.dims) !== preview(swapLastTwo(split.length))) {
      throw new ImportError(`layer '${p.name}': field 'dims': ${preview(p.config.dims)} between reshapes to ${preview(split)} and ${preview(whole)} is not the swap of the last two axes a channel shuffle writes`);
    }
    const groups = split[split.length - 2];
    absorbed.add(q.name);
    absorbed.add(p.name);
    planned.set(r.name, { kind: 'channelShuffle', params: { groups }, inputs: q.inputs, ownChecks: true });
    checks.push({ inputLayer: q.inputs[0], check: (shape) => {
      if (!shape) return null;
      const c = shape[shape.length - 1];
      const want = [...shape.slice(0, -1), groups, c / groups];
      return preview(split) === preview(want) && preview(whole) === preview(shape) ? null
        : `layer '${r.name}': reshapes to ${preview(split)} and ${preview(whole)} around '${p.name}' are not a channel shuffle of its [batch, ${shape.join(', ')}] input (${preview(want)}, then back)`;
    } });
  }

  // 3e. Squeeze-and-excitation's Reshape to (1, 1, C) (Keras's EfficientNet `se_reshape`): after a flat global pool
  // that feeds only it, the pool's keepDims; of any [C] that feeds only Multiply layers, nothing (a [C] gate
  // broadcasts over H×W exactly as a [1, 1, C] one). Any other Reshape is flatten's to judge (a flat [N] only).
  const keepDims = new Set<string>();
  for (const r of layers) {
    const target = r.className === 'Reshape' && r.inputs.length === 1 && !absorbed.has(r.name) && !planned.has(r.name) ? r.config.target_shape as number[] : null;
    if (!target || target.length !== 3 || target[0] !== 1 || target[1] !== 1) continue;
    const src = byName.get(r.inputs[0])!;
    const pool = (src.className === 'GlobalAveragePooling2D' || src.className === 'GlobalMaxPooling2D') && !src.config.keepdims
      && consumersOf(src.name).length === 1;
    const intoMultiply = consumersOf(r.name).length > 0 && consumersOf(r.name).every((c) => c.className === 'Multiply');
    if (!pool && !intoMultiply) continue; // refused by flatten's rule, naming the layer and target_shape
    if (pool) keepDims.add(src.name);
    absorbed.add(r.name);
    alias.set(r.name, src.name);
    checks.push({ inputLayer: src.name, check: (shape) => (!shape || (shape.length === (pool ? 3 : 1) && shape[shape.length - 1] === target[2]) ? null
      : `layer '${r.name}': field 'target_shape': ${preview(target)} of a [${shape.join(', ')}] tensor is not a squeeze-and-excitation gate's [C] → [1, 1, C]`) });
  }

  // 4. Nodes and edges, in the file's layer order.
  const nodes: DesignNode[] = [];
  const edges: DesignEdge[] = [];
  const ids = new Map<string, string>();
  const nextId = importedNodeIds();
  const idFor = (layerName: string) => {
    const id = nextId(layerName);
    ids.set(layerName, id);
    return id;
  };
  /** The node that carries a layer's output (through the layers folded into another's node). */
  const nodeOf = (n: string) => {
    while (alias.has(n)) n = alias.get(n)!;
    return ids.get(n)!;
  };
  for (const layer of layers) {
    if (absorbed.has(layer.name)) continue;
    const plan = planned.get(layer.name);
    const { kind, params } = plan ?? convert(layer);
    let inputs = plan?.inputs ?? layer.inputs;
    if (keepDims.has(layer.name)) params.keepDims = true;
    const stride = strideFold.get(layer.name);
    if (stride) params.strides = int2(stride);
    const fold = padFold.get(layer.name);
    if (fold) {
      const { pads } = fold;
      inputs = [fold.from];
      const explicit: Pair = [pads[0][0], pads[1][0]];
      const uneven = !symmetric(pads);
      // padFold holds only the layers step 2 folds a pad into: a conv, a depthwise conv or a pool
      const conv = CONV_CLASSES.has(layer.className);
      const ceil = uneven && !conv;
      params.padding = uneven && conv ? 'same' : ceil && explicit[0] === 0 && explicit[1] === 0 ? 'valid' : int2(explicit);
      if (ceil) params.ceilMode = true;
      if (uneven && conv) {
        checks.push({ inputLayer: fold.from, check: (shape) => {
          if (!shape) return null;
          const r = window2d(shape[0], shape[1], { kernel: pair(params.kernelSize), stride: pair(params.strides), dilation: pair(params.dilation), padding: 'same' });
          const ok = 'ok' in r && r.ok.before.join() === explicit.join() && r.ok.after.join() === [pads[0][1], pads[1][1]].join();
          return ok ? null : `layer '${fold.pad}': padding ${JSON.stringify(pads)} before '${layer.name}' is neither symmetric nor its 'same' padding on a [${shape.join(', ')}] input`;
        } });
      }
      if (layer.className === 'MaxPooling2D' || layer.className === 'AveragePooling2D') {
        checks.push({ inputLayer: fold.from, check: (shape) => {
          if (!shape || !ceil) return null;
          const r = window2d(shape[0], shape[1], { kernel: pair(params.poolSize), stride: pair(params.strides), dilation: [1, 1], padding: explicit, ceilMode: true });
          const ok = 'ok' in r && r.ok.before.join() === explicit.join() && r.ok.after.join() === [pads[0][1], pads[1][1]].join();
          return ok ? null : `layer '${fold.pad}': padding ${JSON.stringify(pads)} before pool '${layer.name}' is neither symmetric nor the padding of a ceil-mode pool on its [${shape.join(', ')}] input`;
        } });
      }
    }
    if (layer.className === 'AveragePooling2D') {
      const scale = countScale.get(layer.name);
      checks.push({ inputLayer: inputs[0], check: (shape) => {
        if (!shape) return null;
        const padding: PaddingValue = typeof params.padding === 'string' ? (params.padding as 'valid' | 'same') : pair(params.padding);
        const want = params.ceilMode && padding !== 'same' ? ceilCountScale(shape, pair(params.poolSize), pair(params.strides), padding) : null;
        if (!scale) return want ? `layer '${layer.name}': a ceil-mode average pool whose last window hangs over needs the ConvasPoolCountScale Convas writes after it (PyTorch divides by the cells covered)` : null;
        if (!want) return `layer '${scale.name}': a ConvasPoolCountScale after '${layer.name}', which is not a ceil-mode pool with a window hanging over`;
        const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-9 * Math.abs(b[i]));
        return same(scale.config.rows, want.rows) && same(scale.config.cols, want.cols) ? null
          : `layer '${scale.name}': fields 'rows'/'cols' ${preview([scale.config.rows, scale.config.cols])} are not the divisors of ceil-mode pool '${layer.name}' (${preview([want.rows, want.cols])})`;
      } });
    }
    // the class's own conditions on its input's shape (a channels axis, a reshape's size), checked in step 5
    const checkShape = plan?.ownChecks ? undefined : KERAS_CLASSES.get(layer.className)?.rule.checkShape;
    if (checkShape && inputs.length) checks.push({ inputLayer: inputs[0], check: (shape) => checkShape(layer.config, layer.name, shape) });
    const id = idFor(layer.name);
    nodes.push({ id, kind, ...(layer.name !== id ? { name: layer.name } : {}), params } as DesignNode);
    if (layer.className !== 'InputLayer') {
      const many = inputs.length > 1;
      inputs.forEach((s, port) => edges.push({ id: `e${edges.length + 1}`, source: nodeOf(s), target: id, ...(many ? { targetPort: port } : {}) }));
    }
  }

  let design = {
    format: 'convas.design', version: 1,
    name: name ?? modelName ?? 'Imported model',
    description: `Imported from a Keras/tfjs ${cls} topology`,
    nodes: orderInputNodes(nodes, ends.inputs, layers, nodeOf), edges,
  } as Design;
  // The model's outputs in Keras's order, written where they are not the default (docs/design-format.md#outputs).
  if (ends.outputs) design = withOutputs(design, outputIds(ends.outputs, byName, (n) => (absorbed.has(n) && !alias.has(n) ? null : nodeOf(n))));

  // 5. Checks that need shapes: the imported design's own analysis.
  if (checks.length) {
    const resolved = resolve(design).byId;
    for (const c of checks) {
      const problem = c.check(resolved.get(nodeOf(c.inputLayer))?.outputShape ?? null);
      if (problem) throw new ImportError(problem);
    }
  }
  // 6. The weights manifest, where the file has one: every node's weights as the manifest gives them.
  if (manifest) {
    const layerOfNode = new Map([...ids].map(([layer, id]) => [id, byName.get(layer)!]));
    const ownerOf = (l: string): string | null => {
      if (ids.has(l) || alias.has(l)) return nodeOf(l) ?? null;
      // a helper layer (`<id>__g0`, a grouped convolution's group) belongs to the node it was folded into
      const at = l.lastIndexOf('__');
      return at > 0 && absorbed.has(l) ? ownerOf(l.slice(0, at)) : null;
    };
    checkAgainstManifest(design, manifest, ownerOf, (id) => layerOfNode.get(id)!);
  }
  return design;
}
