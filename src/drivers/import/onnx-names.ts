/**
 * Names of an imported ONNX model's nodes: `torch.onnx.export` names each node by its module scopes and operator,
 * `/layer1/layer1.0/conv1/Conv`, where a scope is the module's name within its parent (a Sequential's child
 * repeats the parent's name: `layer1.0`). This module turns that into the PyTorch module path (`layer1.0.conv1`),
 * the node ids of the design (docs/design-format.md: 1–64 of `A-Z a-z 0-9 _ . : -`, unique) and its groups (one per block
 * `layer1.0`, `features.3`, `stage2.1`).
 */

import type { DesignGroup, DesignNode } from '../../engine/index.ts';

/** A node name split into its module path (`layer1.0.conv1`, '' at the top) and its operator part (`Conv`, `Relu_1`). */
export interface ScopedName {
  scopes: string[];
  path: string;
  op: string;
}

/**
 * `/layer1/layer1.0/conv1/Conv` → scopes `layer1`, `layer1.0`, `conv1`, path `layer1.0.conv1`, op `Conv`. A name
 * without slashes (another exporter's, or none) is its own op part at the top.
 */
export function scopedName(onnxName: string): ScopedName {
  const parts = onnxName.split('/').filter((p) => p !== '');
  const op = parts.pop() ?? '';
  let path = '';
  let last = '';
  for (const s of parts) {
    // a Sequential's child scope repeats its parent's: `layer1` then `layer1.0` is the module `layer1.0`
    path = last && s.startsWith(`${last}.`) ? path + s.slice(last.length) : path ? `${path}.${s}` : s;
    last = s;
  }
  return { scopes: parts, path, op };
}

const ID_CHARS = /[^A-Za-z0-9_.:-]/g;
const MAX_ID = 64;

/** Hands out unique, valid node ids. */
export class IdMaker {
  private readonly used = new Set<string>();
  /** `wanted` with invalid characters as `_`, cut to 64 characters, made unique with `_2`, `_3`… */
  make(wanted: string): string {
    let base = wanted.replace(ID_CHARS, '_') || 'node';
    if (base.length > MAX_ID) base = base.slice(base.length - MAX_ID);
    let id = base;
    for (let k = 2; this.used.has(id); k++) {
      const suffix = `_${k}`;
      id = base.slice(0, MAX_ID - suffix.length) + suffix;
    }
    this.used.add(id);
    return id;
  }
}

/**
 * The id of a design node made from ONNX node `name`: its module path where that module gives one design node
 * (`layer1.0.conv1`), else the path and the operator part in lower case (`layer1.0.add`, `flatten`).
 * `soleInScope(path)` says whether the module at `path` holds exactly one design node and no sub-module does.
 */
export function wantedId(name: ScopedName, soleInScope: (path: string) => boolean): string {
  if (name.path && soleInScope(name.path)) return name.path;
  const op = name.op.toLowerCase();
  return name.path ? `${name.path}.${op}` : op;
}

/**
 * A block's module path for a node: the module two scopes down (`layer1.0` of `/layer1/layer1.0/conv1/Conv`,
 * `features.3` of MobileNet's `/features/features.3/block/…`), where a torchvision network keeps its blocks;
 * null for a node one scope down or at the top (a stem conv, the classifier).
 */
export function blockPath(name: ScopedName): string | null {
  if (name.scopes.length < 2) return null;
  return scopedName(`/${name.scopes.slice(0, 2).join('/')}/x`).path;
}

/**
 * Groups of the imported nodes: one per block path holding two nodes or more (a `residual` group where the block
 * adds tensors, `adds` holding the ids of those sums, else a `block`); sets each member's `group`. Group ids are the block paths (made valid by `ids`).
 */
export function assignGroups(nodes: DesignNode[], blockOf: Map<string, string>, adds: Set<string>, ids: IdMaker): DesignGroup[] {
  const members = new Map<string, DesignNode[]>();
  for (const n of nodes) {
    const b = blockOf.get(n.id);
    if (b) members.set(b, [...(members.get(b) ?? []), n]);
  }
  const groups: DesignGroup[] = [];
  for (const [path, list] of members) {
    if (list.length < 2) continue;
    const id = ids.make(path);
    groups.push({ id, label: path, kind: list.some((n) => adds.has(n.id)) ? 'residual' : 'block' });
    for (const n of list) n.group = id;
  }
  return groups;
}
