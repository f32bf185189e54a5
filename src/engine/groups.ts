/**
 * Making and unmaking groups by hand: "Group selection" turns the selected layers into a block of their own,
 * "Ungroup" dissolves one. Groups only change display and per-group totals (docs/design-format.md#groups), never the numbers.
 */

import { GROUP_KINDS, type Design, type DesignGroup, type DesignNode, type GroupKind } from './index.ts';

const KIND_LABEL: Record<GroupKind, string> = {
  block: 'Block', inception: 'Inception', residual: 'Residual', dense: 'Dense block', transition: 'Transition',
};

export const GROUP_KIND_CHOICES = GROUP_KINDS.map((k) => ({ kind: k, label: KIND_LABEL[k] }));

/** A group id like `block_2` that the design does not use yet. */
function freshGroupId(design: Design, kind: GroupKind): string {
  const used = new Set((design.groups ?? []).map((g) => g.id));
  for (let i = 1; ; i++) if (!used.has(`${kind}_${i}`)) return `${kind}_${i}`;
}

/** Drops groups that no node belongs to any more. */
function withoutEmptyGroups(design: Design): Design {
  if (!design.groups) return design;
  const used = new Set(design.nodes.map((n) => n.group).filter(Boolean));
  const groups = design.groups.filter((g) => used.has(g.id));
  return groups.length === design.groups.length ? design : { ...design, groups };
}

/**
 * Puts the nodes `ids` into a new group (taking them out of the groups they were in; a group left empty
 * goes). Returns the design unchanged and `null` when no id names a node.
 */
export function groupNodes(design: Design, ids: string[], opts: { kind?: GroupKind; label?: string } = {}): { design: Design; groupId: string | null } {
  const members = new Set(ids.filter((id) => design.nodes.some((n) => n.id === id)));
  if (!members.size) return { design, groupId: null };
  const kind = opts.kind ?? 'block';
  const id = freshGroupId(design, kind);
  const label = opts.label?.trim() || `${KIND_LABEL[kind]} ${id.slice(kind.length + 1)}`;
  const group: DesignGroup = { id, label, kind };
  const next: Design = {
    ...design,
    nodes: design.nodes.map((n) => (members.has(n.id) ? { ...n, group: id } : n)),
    groups: [...(design.groups ?? []), group],
  };
  return { design: withoutEmptyGroups(next), groupId: id };
}

/**
 * The group whose layers are exactly `ids` (in any order), or null: a selection that is already one group is
 * offered "Ungroup", not "Group selection" (which would only make the same group again under a new id).
 * @example exactGroup(d, ['c1', 'bn1', 'relu1']) // → 'block_1' when those three, and no others, are block_1
 */
export function exactGroup(design: Design, ids: readonly string[]): string | null {
  const wanted = new Set(ids);
  if (wanted.size === 0) return null;
  let group: string | undefined;
  for (const id of wanted) {
    const g = design.nodes.find((n) => n.id === id)?.group;
    if (!g || (group !== undefined && g !== group)) return null;
    group = g;
  }
  let members = 0;
  for (const n of design.nodes) if (n.group === group) members++;
  return members === wanted.size && (design.groups ?? []).some((g) => g.id === group) ? group! : null;
}

/** Dissolves a group: its layers stay where they are, outside any group. */
export function ungroup(design: Design, groupId: string): Design {
  if (!(design.groups ?? []).some((g) => g.id === groupId)) return design;
  const groups = design.groups!.filter((g) => g.id !== groupId);
  const next: Design = {
    ...design,
    nodes: design.nodes.map((n) => {
      if (n.group !== groupId) return n;
      const { group: _drop, ...rest } = n;
      return rest;
    }),
  };
  if (groups.length) next.groups = groups;
  else delete next.groups;
  return next;
}

/**
 * Collapses a group to one node's size, or expands it again, moving the layers below it (those under the
 * group's columns) up by the space it gives back, or down by the space it takes, so that a collapsed block
 * leaves no hole in the drawing. Members keep their positions (they are hidden while collapsed).
 */
export function setCollapsed(design: Design, groupId: string, collapsed: boolean, node: { width: number; height: number }): Design {
  const group = (design.groups ?? []).find((g) => g.id === groupId);
  if (!group || !!group.collapsed === collapsed) return design;
  const groups = design.groups!.map((g) => {
    if (g.id !== groupId) return g;
    if (collapsed) return { ...g, collapsed: true };
    const { collapsed: _drop, ...rest } = g;
    return rest;
  });
  const members = design.nodes.filter((n) => n.group === groupId && n.position);
  if (!members.length) return { ...design, groups };
  // Folds, not Math.min(...list): spreading a group of 200,000 members as arguments overflows the stack.
  const left = members.reduce((m, n) => Math.min(m, n.position!.x), Infinity);
  const right = members.reduce((m, n) => Math.max(m, n.position!.x), -Infinity) + node.width;
  const top = members.reduce((m, n) => Math.min(m, n.position!.y), Infinity);
  const bottom = members.reduce((m, n) => Math.max(m, n.position!.y), -Infinity) + node.height;
  const delta = bottom - top - node.height;
  // what sits below the group's box when expanded, or below its stand-in when collapsed
  const edge = collapsed ? bottom : top + node.height;
  // another collapsed group moves whole, as its stand-in (its members' top-left corner) decides: its hidden
  // members must keep their places relative to each other
  const corner = new Map<string, { x: number; y: number }>();
  for (const g of design.groups ?? []) {
    if (!g.collapsed || g.id === groupId) continue;
    const ps = design.nodes.filter((n) => n.group === g.id && n.position).map((n) => n.position!);
    if (ps.length) corner.set(g.id, { x: Math.min(...ps.map((p) => p.x)), y: Math.min(...ps.map((p) => p.y)) });
  }
  const below = (n: DesignNode) => {
    if (n.group === groupId || n.position === undefined) return false;
    const p = (n.group && corner.get(n.group)) || n.position;
    return p.y >= edge && p.x < right && p.x + node.width > left;
  };
  return {
    ...design,
    groups,
    nodes: delta <= 0 ? design.nodes : design.nodes.map((n) =>
      below(n) ? { ...n, position: { x: n.position!.x, y: n.position!.y + (collapsed ? -delta : delta) } } : n),
  };
}

/**
 * Collapses (or expands) every group, top to bottom, with `setCollapsed`'s moves: collapsed, a network shows
 * its outline (stem, blocks, head); expanded, every layer again. One design: one undo step.
 */
export function setAllCollapsed(design: Design, collapsed: boolean, node: { width: number; height: number }): Design {
  const top = (g: DesignGroup) => Math.min(...design.nodes.filter((n) => n.group === g.id && n.position).map((n) => n.position!.y));
  // expanding from the bottom up keeps each group's own place while the ones above push it down
  const order = [...(design.groups ?? [])].sort((a, b) => (collapsed ? top(a) - top(b) : top(b) - top(a)));
  return order.reduce((d, g) => setCollapsed(d, g.id, collapsed, node), design);
}

/** Layers from which a network opens as its outline (every group collapsed). */
export const OUTLINE_FROM = 300;

/** A design of more than `OUTLINE_FROM` layers with groups, and none collapsed, opened as its outline. */
export function outlineIfBig(design: Design, node: { width: number; height: number }): Design {
  if (design.nodes.length <= OUTLINE_FROM || !design.groups?.length || design.groups.some((g) => g.collapsed)) return design;
  if (design.nodes.some((n) => !n.position)) return design;
  return setAllCollapsed(design, true, node);
}
