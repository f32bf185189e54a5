/**
 * Group frames on the canvas: a labelled box behind the members of each group, or, for a collapsed group,
 * one compact stand-in node that the group's outside edges attach to.
 */

import type { Design, DesignGroup } from '../index.ts';
import { NODE_HEIGHT, NODE_WIDTH } from './node-size.ts';

export interface Frame {
  id: string;
  group: DesignGroup;
  x: number;
  y: number;
  width: number;
  height: number;
  collapsed: boolean;
}

export const FRAME_PREFIX = 'group:';
export const PAD = 14;
/** The band at the top of an open frame that holds its label, toggle and totals. */
export const HEADER = 24;

export function computeFrames(design: Design): { frames: Frame[]; owner: Map<string, string> } {
  const frames: Frame[] = [];
  const owner = new Map<string, string>();
  const groups = design.groups ?? [];
  if (!groups.length) return { frames, owner };
  const bounds = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
  for (const n of design.nodes) {
    if (!n.group || !n.position) continue;
    const b = bounds.get(n.group);
    const x1 = n.position.x + NODE_WIDTH;
    const y1 = n.position.y + NODE_HEIGHT;
    if (!b) bounds.set(n.group, { x0: n.position.x, y0: n.position.y, x1, y1 });
    else {
      b.x0 = Math.min(b.x0, n.position.x);
      b.y0 = Math.min(b.y0, n.position.y);
      b.x1 = Math.max(b.x1, x1);
      b.y1 = Math.max(b.y1, y1);
    }
  }
  for (const g of groups) {
    const b = bounds.get(g.id);
    if (!b) continue;
    const id = FRAME_PREFIX + g.id;
    if (g.collapsed) {
      frames.push({ id, group: g, x: b.x0, y: b.y0, width: NODE_WIDTH, height: NODE_HEIGHT, collapsed: true });
    } else {
      frames.push({ id, group: g, x: b.x0 - PAD, y: b.y0 - PAD - HEADER, width: b.x1 - b.x0 + 2 * PAD, height: b.y1 - b.y0 + 2 * PAD + HEADER, collapsed: false });
    }
  }
  for (const n of design.nodes) {
    if (!n.group) continue;
    const g = groups.find((x) => x.id === n.group);
    if (g?.collapsed && bounds.has(g.id)) owner.set(n.id, FRAME_PREFIX + g.id);
  }
  return { frames, owner };
}
