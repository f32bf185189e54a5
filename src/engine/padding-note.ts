/**
 * Windows that are mostly padding (docs/analysis.md#windows-mostly-padding): a kernel as large as its input, or
 * dilated past it, with `same` (or explicit) padding slides mostly over the zeros around the input, so most of its
 * multiply-accumulates multiply zeros. The shapes and counts are right, but the layer is rarely what was meant, so the
 * editor (node, inspector) and `convas summary` warn where more than half of a layer's taps fall on padding. When
 * only the kernel's centre ever reads the input, the layer computes what a 1×1 convolution would: Chen et al.,
 * "Rethinking Atrous Convolution" (DeepLabv3, 2017, §3.3) point this out for atrous rates near the map's size, the
 * case of DeepLabv3's rate-36 ASPP branch on a 14×14 map. Not a contract field: `summary --json` leaves it out.
 */

import { formatPair } from '../contract/format.ts';
import { validateParams } from '../contract/params.ts';
import type { Design, NodeAnalysis } from '../contract/types.ts';
import { getLayerKind } from './registry.ts';
import { explainSlidingWindow, windowTaps, type AxisExplanation } from './window-explain.ts';

/** One layer's padded share: the fraction of its taps (over every output position) that fall on padding. */
export interface PaddingShare {
  /** 0…1: padded taps over all taps */
  share: number;
  /** true when, on both axes, only the kernel's centre tap ever reads the input (the layer is a 1×1 in effect) */
  centreOnly: boolean;
  kernel: [number, number];
  dilation: [number, number];
  input: [number, number];
}

/** On one axis: the taps over every output position that read the input, and whether only the centre one ever does. */
function axisReads(a: AxisExplanation): { real: number; all: number; centreOnly: boolean } {
  let real = 0;
  const used = new Set<number>();
  for (let o = 0; o < a.output; o++) {
    windowTaps(a, o).forEach((cell, t) => {
      if (cell >= 0 && cell < a.input) {
        real++;
        used.add(t);
      }
    });
  }
  const centre = (a.kernel - 1) / 2;
  return { real, all: a.output * a.kernel, centreOnly: a.kernel > 1 && used.size === 1 && used.has(centre) };
}

/**
 * The padded share of a convolution's windows (a kind with a kernel that gathers: conv, depthwise, separable), or
 * null for any other layer, one with an error, or one whose windows read no padding. Pools are left out: their
 * padding takes no part in the result (−∞ for max, left out of the average).
 */
export function paddingShare(node: Design['nodes'][number], a: NodeAnalysis | undefined): PaddingShare | null {
  const kind = getLayerKind(node.kind);
  if (!kind?.slidingWindow || !('kernelSize' in kind.params) || !a?.outputShape || a.error || a.inputShapes?.[0]?.length !== 3) return null;
  const { params } = validateParams(kind.params, node.params);
  if (!params) return null;
  const w = explainSlidingWindow(kind.slidingWindow(params), a.inputShapes[0]);
  if (!w || w.direction !== 'gather') return null;
  const [h, v] = w.axes;
  if (h.before + h.after + v.before + v.after === 0) return null;
  const rh = axisReads(h);
  const rv = axisReads(v);
  return {
    share: 1 - (rh.real * rv.real) / (rh.all * rv.all),
    centreOnly: rh.centreOnly && rv.centreOnly,
    kernel: [h.kernel, v.kernel], dilation: [h.dilation, v.dilation], input: [h.input, v.input],
  };
}

/** The sentence said of a layer whose windows are mostly padding (more than half its taps), or null. */
export function paddingNote(node: Design['nodes'][number], a: NodeAnalysis | undefined): string | null {
  const p = paddingShare(node, a);
  if (!p || p.share <= 0.5) return null;
  const pct = Math.round(p.share * 100);
  const dilated = p.dilation[0] > 1 || p.dilation[1] > 1 ? ` (dilation ${formatPair(p.dilation)})` : '';
  const head = `Most of each window is padding: ${pct}% of the ${formatPair(p.kernel)} kernel's taps${dilated} fall on the zeros around the ${formatPair(p.input)} input`;
  return p.centreOnly
    ? `${head}. Only the kernel's centre ever reads the input, so the layer computes what a 1×1 convolution would, with ${p.kernel[0] * p.kernel[1]}× its weights (as DeepLabv3 notes of atrous rates near the map's size).`
    : `${head}, so most of its multiply-accumulates (counted in its MACs) multiply zeros.`;
}

const notes = new WeakMap<readonly NodeAnalysis[], Map<string, string>>();

/**
 * Every layer's padding note, by node id, computed once per analysis (the analysis' `nodes` list is the key, so the
 * canvas asks it per node at no cost).
 */
export function paddingNotes(design: Pick<Design, 'nodes'>, nodes: readonly NodeAnalysis[]): Map<string, string> {
  let m = notes.get(nodes);
  if (!m) {
    m = new Map();
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const node of design.nodes) {
      const note = paddingNote(node, byId.get(node.id));
      if (note) m.set(node.id, note);
    }
    notes.set(nodes, m);
  }
  return m;
}
