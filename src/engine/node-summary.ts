/**
 * The one line a layer's box gives its settings, wherever a box is drawn: the canvas (LayerNode), the advice
 * preview's ghosts (GhostNode) and the SVG/PNG picture (drivers/export/svg.ts).
 */

import { validateParams } from '../contract/params.ts';
import type { DesignNode } from '../contract/types.ts';
import { getLayerKind } from './registry.ts';

export interface SummaryOptions {
  /**
   * Characters the line holds: where `<title> · <settings>` fits in them the kind's title goes first
   * (`Conv 2D · 3×3 same · 64`), else the settings stand alone (they name the kind too). Without it, the settings
   * alone.
   */
  room?: number;
  /**
   * What the line says of a node whose settings cannot be read (params that do not validate): its kind's title
   * (`'title'`, the default: the canvas, whose box shows the error below), or its kind's name (`'kind'`: the picture).
   */
  fallback?: 'title' | 'kind';
}

/**
 * A node's settings in its kind's words: the params validated against the kind's schema (`validateParams`, so
 * defaults count), then the kind's `summary` of them (e.g. `3×3 same · 64` for a conv2d). A node whose params do
 * not validate, or whose kind's summary throws on them, gets `options.fallback`; a kind Convas does not know, its
 * name as written. Never throws.
 * @example nodeSummary({ kind: 'conv2d', params: { filters: 64, kernelSize: 3, padding: 'same' } }, { room: 33 }) // → 'Conv 2D · 3×3 same · 64'
 */
export function nodeSummary(node: Pick<DesignNode, 'kind' | 'params'>, options: SummaryOptions = {}): string {
  const kind = getLayerKind(node.kind);
  if (!kind) return node.kind;
  const fallback = options.fallback === 'kind' ? node.kind : kind.title;
  const { params } = validateParams(kind.params, node.params);
  if (!params) return fallback;
  let settings: string;
  try {
    settings = kind.summary(params);
  } catch {
    return fallback;
  }
  const titled = `${kind.title} · ${settings}`;
  return options.room !== undefined && titled.length <= options.room ? titled : settings;
}
