/**
 * A Keras or tfjs `model.json` topology (functional or sequential) → a Convas design. Pure TypeScript.
 * Accepts the tfjs file (`{ modelTopology: … }`), a bare Keras topology (`{ class_name, config }`), and
 * `model.toJSON()` output. A layer, option or layout Convas cannot express is an `ImportError` that names it;
 * nothing is dropped silently. Positions are left out (the editor lays the design out on load).
 */

import type { Design, DesignEdge, DesignNode } from '../core/index.ts';

export class ImportError extends Error {}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ACTIVATIONS: Record<string, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', tanh: 'tanh',
  softmax: 'softmax', softplus: 'softplus', swish: 'swish', silu: 'swish',
};

function activationName(layer: string, a: unknown): string {
  const name = typeof a === 'string' ? a : a && typeof a === 'object' ? String((a as Json).config?.name ?? (a as Json).class_name ?? '') : 'linear';
  const fn = ACTIVATIONS[name.toLowerCase()];
  if (!fn) throw new ImportError(`layer '${layer}': activation "${name}" is not one Convas knows (${Object.keys(ACTIVATIONS).join(', ')})`);
  return fn;
}

const pair = (v: unknown): number | [number, number] => (Array.isArray(v) ? (v.length === 1 ? v[0] : [v[0], v[1]]) : (v as number));

/** A Keras layer name → a Convas node id (`A-Z a-z 0-9 _ . : -`, at most 64 characters). */
export function nodeIdFor(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64);
  return s || 'layer';
}

function checkChannelsLast(name: string, c: Json) {
  if (c.data_format && c.data_format !== 'channels_last') {
    throw new ImportError(`layer '${name}': data_format "${c.data_format}" (Convas is channels-last)`);
  }
}

/** One Keras layer → Convas kind and params, or 'padMarker' for a −∞ ConstantPad2d folded into the next max pool. */
function convert(className: string, name: string, c: Json): { kind: string; params: Json } {
  switch (className) {
    case 'InputLayer': {
      const shape = (c.batch_input_shape ?? c.batch_shape ?? [null, ...(c.input_shape ?? [])]).slice(1);
      if (shape.some((d: unknown) => typeof d !== 'number')) throw new ImportError(`input '${name}': shape [${shape}] must be fully known`);
      return { kind: 'input', params: { shape } };
    }
    case 'Conv2D': {
      checkChannelsLast(name, c);
      return { kind: 'conv2d', params: {
        filters: c.filters, kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1), padding: c.padding ?? 'valid',
        dilation: pair(c.dilation_rate ?? 1), groups: c.groups ?? 1, useBias: c.use_bias ?? true, activation: activationName(name, c.activation),
      } };
    }
    case 'DepthwiseConv2D': {
      checkChannelsLast(name, c);
      return { kind: 'depthwiseConv2d', params: {
        kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1), padding: c.padding ?? 'valid', dilation: pair(c.dilation_rate ?? 1),
        depthMultiplier: c.depth_multiplier ?? 1, useBias: c.use_bias ?? true, activation: activationName(name, c.activation),
      } };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      checkChannelsLast(name, c);
      const poolSize = pair(c.pool_size ?? 2);
      return { kind: className === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d', params: { poolSize, strides: pair(c.strides ?? c.pool_size ?? 2), padding: c.padding ?? 'valid' } };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      checkChannelsLast(name, c);
      if (c.keepdims) throw new ImportError(`layer '${name}': keepdims=true (Convas's global pools give a flat [C])`);
      return { kind: className === 'GlobalAveragePooling2D' ? 'globalAvgPool' : 'globalMaxPool', params: {} };
    case 'Flatten':
      checkChannelsLast(name, c);
      return { kind: 'flatten', params: {} };
    case 'Dense':
      return { kind: 'dense', params: { units: c.units, useBias: c.use_bias ?? true, activation: activationName(name, c.activation) } };
    case 'BatchNormalization': {
      const axis = Array.isArray(c.axis) ? c.axis[0] : c.axis ?? -1;
      if (axis !== -1 && axis !== 3 && axis !== 1) throw new ImportError(`layer '${name}': batch norm over axis ${axis} (Convas normalizes the channels, the last axis)`);
      if (c.center === false || c.scale === false) throw new ImportError(`layer '${name}': center/scale off (Convas's batch norm has gamma and beta)`);
      return { kind: 'batchNorm', params: { epsilon: c.epsilon ?? 0.001, momentum: c.momentum ?? 0.99 } };
    }
    case 'Activation':
      return { kind: 'activation', params: { fn: activationName(name, c.activation) } };
    case 'ReLU': {
      if ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) throw new ImportError(`layer '${name}': ReLU with a negative slope or threshold`);
      const max = c.max_value ?? null;
      if (max !== null && max !== 6) throw new ImportError(`layer '${name}': ReLU with max_value ${max} (Convas has relu and relu6)`);
      return { kind: 'activation', params: { fn: max === 6 ? 'relu6' : 'relu' } };
    }
    case 'Softmax':
      if ((c.axis ?? -1) !== -1) throw new ImportError(`layer '${name}': softmax over axis ${c.axis}`);
      return { kind: 'activation', params: { fn: 'softmax' } };
    case 'Dropout':
      return { kind: 'dropout', params: { rate: c.rate ?? 0.5 } };
    case 'ZeroPadding2D': {
      checkChannelsLast(name, c);
      const p = c.padding ?? 1;
      const sides: [[number, number], [number, number]] = typeof p === 'number' ? [[p, p], [p, p]]
        : typeof p[0] === 'number' ? [[p[0], p[0]], [p[1], p[1]]] : p;
      if (sides[0][0] !== sides[0][1] || sides[1][0] !== sides[1][1]) {
        throw new ImportError(`layer '${name}': asymmetric zero padding ${JSON.stringify(sides)} (Convas's zeroPad2d is symmetric)`);
      }
      return { kind: 'zeroPad2d', params: { padding: [sides[0][0], sides[1][0]] } };
    }
    case 'ConvasLRN':
      return { kind: 'lrn', params: { depthRadius: c.depthRadius, bias: c.bias, alpha: c.alpha, beta: c.beta } };
    case 'Add':
      return { kind: 'add', params: {} };
    case 'Concatenate': {
      const axis = c.axis ?? -1;
      if (axis !== -1 && axis !== 3) throw new ImportError(`layer '${name}': concatenation over axis ${axis} (Convas concatenates channels)`);
      return { kind: 'concat', params: {} };
    }
    default:
      throw new ImportError(`layer '${name}': ${className} is not a layer Convas knows`);
  }
}

/** The inbound layer names of a layer's first call (Keras 2 lists and Keras 3 `args` both). */
function inbound(layer: Json): string[] {
  const nodes = layer.inbound_nodes ?? [];
  if (nodes.length === 0) return [];
  if (nodes.length > 1) throw new ImportError(`layer '${layer.name ?? layer.config?.name}': called ${nodes.length} times (shared layers are not supported)`);
  const first = nodes[0];
  if (Array.isArray(first)) return first.map((t: unknown[]) => String(t[0]));
  // Keras 3: { args: [tensor | [tensor, …]], kwargs }
  const names: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (o.class_name === '__keras_tensor__') names.push(String(o.config.keras_history[0]));
      else if (!('class_name' in o)) Object.values(o).forEach(walk);
    }
  };
  walk(first.args ?? []);
  return names;
}

/**
 * Reads a Keras/tfjs topology into a design.
 * @example importKeras(JSON.parse(readFileSync('model.json', 'utf8')))
 */
export function importKeras(json: unknown, name?: string): Design {
  let topo = json as Json;
  if (topo && typeof topo === 'object' && 'modelTopology' in topo) topo = topo.modelTopology;
  if (topo && typeof topo === 'object' && 'model_config' in topo) topo = topo.model_config;
  if (!topo || typeof topo !== 'object' || typeof topo.class_name !== 'string') {
    throw new ImportError('not a Keras/tfjs model topology (no class_name; expected model.json or model.toJSON())');
  }
  const cls = topo.class_name;
  const layers: Json[] = Array.isArray(topo.config) ? topo.config : topo.config?.layers;
  if (!Array.isArray(layers)) throw new ImportError(`${cls}: no layers in config`);
  const nodes: DesignNode[] = [];
  const edges: DesignEdge[] = [];
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const idFor = (layerName: string) => {
    let id = nodeIdFor(layerName);
    for (let k = 2; taken.has(id); k++) id = `${nodeIdFor(layerName).slice(0, 60)}_${k}`;
    taken.add(id);
    ids.set(layerName, id);
    return id;
  };
  /** −∞ ConstantPad2d layers (how Convas compiles a padded max pool; tfjs writes the value as "-_infinity"): name → [ph, pw] and its input. */
  const negPads = new Map<string, { padding: [number, number]; from: string }>();
  const resolve = (n: string) => negPads.get(n)?.from ?? n;
  const addEdge = (from: string, to: string, port: number) => {
    const src = ids.get(from);
    if (!src) throw new ImportError(`layer '${to}': its input '${from}' is not defined before it`);
    edges.push({ id: `e${edges.length + 1}`, source: src, target: ids.get(to)!, ...(port > 0 ? { targetPort: port } : {}) });
  };

  const sequential = cls === 'Sequential';
  if (!sequential && cls !== 'Model' && cls !== 'Functional') throw new ImportError(`${cls}: expected a Sequential, Model or Functional topology`);
  let previous: string | null = null;
  for (const layer of layers) {
    const c = layer.config ?? {};
    const lname = String(c.name ?? layer.name);
    const className = String(layer.class_name);
    if (sequential && previous === null && className !== 'InputLayer') {
      const shape = (c.batch_input_shape ?? c.batch_shape ?? []).slice(1);
      if (shape.length === 0) throw new ImportError(`Sequential: the first layer '${lname}' has no batch_input_shape`);
      const id = idFor('input');
      nodes.push({ id, kind: 'input', params: { shape } });
      previous = 'input';
    }
    const srcs = sequential ? (previous ? [previous] : []) : inbound(layer).map(resolve);
    if (className === 'ConvasConstantPad2d' || className === 'ConstantPad2d') {
      const p = c.padding as [[number, number], [number, number]];
      if (c.value !== null && c.value !== -Infinity && String(c.value).toLowerCase().replace(/_/g, '') !== '-infinity') throw new ImportError(`layer '${lname}': ConstantPad2d with value ${c.value}`);
      if (p[0][0] !== p[0][1] || p[1][0] !== p[1][1]) throw new ImportError(`layer '${lname}': asymmetric −∞ padding (a ceil-mode pool) is not imported`);
      negPads.set(lname, { padding: [p[0][0], p[1][0]], from: srcs[0] });
      previous = lname;
      continue;
    }
    const { kind, params } = convert(className, lname, c);
    const rawIn = sequential ? (previous ? [previous] : []) : inbound(layer);
    if (kind === 'maxPool2d' && rawIn.length === 1 && negPads.has(rawIn[0])) {
      if (params.padding !== 'valid') throw new ImportError(`layer '${lname}': −∞ padding before a '${params.padding}' pool`);
      params.padding = negPads.get(rawIn[0])!.padding;
    }
    for (const n of rawIn) {
      if (negPads.has(n) && kind !== 'maxPool2d') throw new ImportError(`layer '${n}': −∞ padding that does not feed a max pool`);
    }
    const id = idFor(lname);
    nodes.push({ id, kind, ...(lname !== id ? { name: lname } : {}), params });
    if (kind !== 'input') srcs.forEach((s, i) => addEdge(s, lname, i));
    previous = lname;
  }
  return {
    format: 'convas.design', version: 1,
    name: name ?? String(topo.config?.name ?? 'Imported model'),
    description: `Imported from a Keras/tfjs ${cls} topology`,
    nodes, edges,
  } as Design;
}
