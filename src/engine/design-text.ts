/**
 * The text of a design file: one key order whatever order an edit left the keys in, so that saving the same
 * design twice gives the same bytes and designs diff cleanly in git. Order: the file's fields as the format
 * lists them (format, version, name, description, nodes, edges, outputs, groups); a node's id, kind, name, params,
 * group, position; an edge's id, source, target, targetPort; a group's id, label, kind, collapsed; a node's
 * params in its kind's schema order. Keys the format does not know come after, sorted. Short arrays and
 * objects stay on one line (`"position": { "x": 0, "y": 110 }`), the way the contract's examples are written.
 */

import { getLayerKind } from './registry.ts';
import type { Design } from '../contract/types.ts';

const DESIGN_KEYS = ['format', 'version', 'name', 'description', 'nodes', 'edges', 'outputs', 'groups'];
const NODE_KEYS = ['id', 'kind', 'name', 'params', 'group', 'position'];
const EDGE_KEYS = ['id', 'source', 'target', 'targetPort'];
const GROUP_KEYS = ['id', 'label', 'kind', 'collapsed'];
const POSITION_KEYS = ['x', 'y'];

/** `obj` with its keys in `order` first, then the rest sorted; `inner` rewrites each value. */
function ordered(obj: Record<string, unknown>, order: readonly string[], inner: (k: string, v: unknown) => unknown = (_k, v) => v): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (obj[k] !== undefined) out[k] = inner(k, obj[k]);
  for (const k of Object.keys(obj).filter((k) => !order.includes(k)).sort()) if (obj[k] !== undefined) out[k] = inner(k, obj[k]);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The design with every key in the file order above (values untouched). */
export function canonicalDesign(design: Design): Design {
  return ordered(design as unknown as Record<string, unknown>, DESIGN_KEYS, (k, v) => {
    if (!Array.isArray(v)) return v;
    if (k === 'nodes') {
      return v.map((n) => (isObject(n) ? ordered(n, NODE_KEYS, (nk, nv) => {
        if (nk === 'position' && isObject(nv)) return ordered(nv, POSITION_KEYS);
        if (nk === 'params' && isObject(nv)) {
          const schema = typeof n.kind === 'string' ? getLayerKind(n.kind)?.params : undefined;
          return ordered(nv, schema ? Object.keys(schema) : []);
        }
        return nv;
      }) : n));
    }
    if (k === 'edges') return v.map((e) => (isObject(e) ? ordered(e, EDGE_KEYS) : e));
    if (k === 'groups') return v.map((g) => (isObject(g) ? ordered(g, GROUP_KEYS) : g));
    return v;
  }) as unknown as Design;
}

/** Longest line `formatJson` keeps a value on. */
const LINE = 100;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/**
 * JSON with a 2-space indent that keeps short arrays and objects on one line (`"shape": [224, 224, 3]`,
 * `"position": { "x": 0, "y": 110 }`, one edge per line). Keys keep the order they have.
 */
export function formatJson(value: unknown, indent = '', prefix = ''): string {
  const one = inline(value);
  if (value === null || typeof value !== 'object' || indent.length + prefix.length + one.length + 1 <= LINE) return one;
  const inner = indent + '  ';
  const items = Array.isArray(value)
    ? value.map((v) => inner + formatJson(v, inner))
    : Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner, `${JSON.stringify(k)}: `)}`);
  if (!items.length) return one;
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

/** The text Save writes: the canonical key order, `formatJson`, and a final newline. */
export function designToText(design: Design): string {
  return formatJson(canonicalDesign(design)) + '\n';
}
