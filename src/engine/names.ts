/**
 * The names a design's nodes take in each target, one module for all: PyTorch attribute names (also the prefixes
 * of the state-dict keys), the class and module names of `model.py`, ONNX value names, tfjs layer names (with the
 * compiler's helper layers), and, for the Keras import, a node id from a layer name. The exporters read their
 * names here rather than from each other, so the ONNX initializers and the PyTorch state dict cannot drift apart.
 */

import type { Design } from '../contract/types.ts';

const PY_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for '
  + 'from global if import in is lambda nonlocal not or pass raise return try while with yield self input').split(' '));

/**
 * Every name an `nn.Module` (PyTorch 1.13 to 2.x) has of its own: a layer attribute by one of these names would
 * replace a method (`forward`, `to`, `cuda`…) or state (`training`) and break the module.
 */
const MODULE_NAMES = new Set((
  'T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda double dump_patches '
  + 'eval extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict '
  + 'modules mtia named_buffers named_children named_modules named_parameters parameters register_backward_hook '
  + 'register_buffer register_forward_hook register_forward_pre_hook register_full_backward_hook '
  + 'register_full_backward_pre_hook register_load_state_dict_post_hook register_load_state_dict_pre_hook '
  + 'register_module register_parameter register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ '
  + 'set_extra_state set_submodule share_memory smart_apply state_dict to to_empty train training type xpu zero_grad'
).split(' '));

/** Class names the module file itself uses at the top level (`F` is torch.nn.functional). */
const TAKEN_CLASS_NAMES = new Set(['F', 'None', 'True', 'False', 'ValueError']);

/**
 * A source of unique names: each call gives `base(s)`, or where that is taken already `base(s)_2`, `_3`… (the
 * first free one), the stem cut to `stem` characters before the suffix (so a name with a bounded length stays
 * within it).
 */
function uniqueNames(base: (s: string) => string, stem = Infinity): (s: string) => string {
  const taken = new Set<string>();
  return (s) => {
    let name = base(s);
    for (let k = 2; taken.has(name); k++) name = `${base(s).slice(0, stem)}_${k}`;
    taken.add(name);
    return name;
  };
}

/**
 * A node id → a Python attribute name: `layer1.0.conv1` → `layer1_0_conv1`. Never a keyword (`class` →
 * `class_`), never one of `nn.Module`'s own names (`forward` → `forward_`, `training` → `training_`), never
 * starting with a digit (`0` → `l_0`) or an underscore (`_modules` → `l_modules`, `__x` → `l__x`: a leading
 * underscore would reach the module's internals, and two would be name-mangled inside the class).
 */
export function pyName(id: string): string {
  let n = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9_]/.test(n)) n = `l${n.startsWith('_') ? '' : '_'}${n}`;
  if (PY_KEYWORDS.has(n) || MODULE_NAMES.has(n)) n = `${n}_`;
  return n;
}

/**
 * Node id → its unique Python attribute name (`pyName`, then `_2`, `_3`… where two ids map to one name), in design
 * order: the module's attribute, and the prefix of the node's keys in its state dict (`torchStateDictKey`).
 */
export function pythonNames(design: Pick<Design, 'nodes'>): Map<string, string> {
  const next = uniqueNames(pyName);
  return new Map(design.nodes.map((n) => [n.id, next(n.id)]));
}

/** A state-dict key: the node's attribute name and the tensor's suffix (`conv1` + `weight` → `conv1.weight`). */
export const torchStateDictKey = (attr: string, suffix: string) => `${attr}.${suffix}`;

/**
 * Node id → the name of the ONNX value it writes (a graph input for an input node). The node's PyTorch attribute
 * name: its initializers are then named by the same state-dict keys as the PyTorch export's weights.
 */
export const onnxValueNames = (design: Pick<Design, 'nodes'>): Map<string, string> => pythonNames(design);

/**
 * The file name (without `.py`) a design's PyTorch module is saved under, one Python can `import`: the name's
 * words, lower case, joined by `_` (PEP 8's module names): `My Inception 3a` → `my_inception_3a`,
 * `ResNet-18 (torchvision)` → `resnet_18_torchvision`; a leading digit gets `net_`, a keyword a trailing `_`.
 */
export function pythonModuleName(name: string): string {
  const words = (name.match(/[A-Za-z0-9]+/g) ?? []).map((w) => w.toLowerCase());
  let joined = words.join('_').slice(0, 80).replace(/_+$/, '');
  if (!joined) return 'convas_model';
  if (/^[0-9]/.test(joined)) joined = `net_${joined}`;
  return PY_KEYWORDS.has(joined) ? `${joined}_` : joined;
}

/**
 * `ResNet-18 (torchvision)` → `ResNet18Torchvision`; names that start with a digit get `Net` in front; a name the
 * file already uses (a design called `f` would become `F`, hiding torch.nn.functional) gets `Net` after.
 */
export function pythonClassName(name: string): string {
  const words = name.match(/[A-Za-z0-9]+/g) ?? [];
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (!joined) return 'ConvasModel';
  if (/^[0-9]/.test(joined)) return `Net${joined}`;
  return TAKEN_CLASS_NAMES.has(joined) ? `${joined}Net` : joined;
}

/** A tfjs layer name from a node id: tfjs accepts `A-Z a-z 0-9 _ . -`, starting with a letter or digit. */
export function layerName(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z0-9]/.test(s) ? s : `n${s}`;
}

/** The name of a compiled tfjs model: the design's name, spaces as `_` (`convas` for a design without a name). */
export const tfjsModelName = (designName: string) => layerName(designName.replace(/\s+/g, '_') || 'convas');

/**
 * The layer names of one compiled model, unique within it (`layerName`, then `_2`, `_3`… where taken): a node's
 * own layer, and its helper layers (`<id>__<suffix>`: `__pad`, `__stride`, `__g0`, `__dup1`…), in the order the
 * compiler asks for them.
 */
export function tfjsLayerNames(): { node(id: string): string; helper(id: string, suffix: string): string } {
  const next = uniqueNames(layerName);
  return { node: next, helper: (id, suffix) => next(`${id}__${suffix}`) };
}

/**
 * Whether `helper` is the name `tfjsLayerNames` gives helper `suffix` of the layer named `owner` (`<owner>__<suffix>`,
 * maybe `_k` after it or after the owner's own name for uniqueness). The Keras import folds such helpers back.
 */
export function isTfjsHelperOf(helper: string, owner: string, suffix: string): boolean {
  if (!helper.endsWith(`__${suffix}`) && !new RegExp(`__${suffix}_\\d+$`).test(helper)) return false;
  const stem = helper.replace(new RegExp(`__${suffix}(_\\d+)?$`), '');
  return stem === owner || stem === owner.replace(/_\d+$/, '');
}

/** A Keras layer name → a Convas node id (`A-Z a-z 0-9 _ . : -`, at most 64 characters; `layer` for none left). */
export function nodeIdOfLayer(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64);
  return s || 'layer';
}

/**
 * The node ids of one imported model, unique within it, in the order asked: `nodeIdOfLayer`, then where two layer
 * names map to one id `_2`, `_3`… after its first 60 characters (64 at most while fewer than 1,000 share a stem).
 * @example const id = importedNodeIds(); [id('a b'), id('a_b')] // → ['a_b', 'a_b_2']
 */
export const importedNodeIds = (): ((layerName: string) => string) => uniqueNames(nodeIdOfLayer, 60);
