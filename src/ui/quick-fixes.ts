/**
 * One-click repairs for the common wiring mistakes, offered beside the error: a skip edge whose shape does
 * not match its `add` gets a 1×1 projection conv (with the stride that matches), a dense layer fed a feature
 * map gets a Flatten or a Global average pool in between. Pure: a fix maps a design to a new design.
 */

import { defaultParams, getLayerKind, insertOnEdge, type Design, type DesignEdge, type DesignNode, type NodeAnalysis } from '../core/index.ts';
import { freshId } from '../store/editor-store.ts';

export interface QuickFix {
  label: string;
  apply(design: Design): Design;
}

/** Puts a new node on an edge (the core's `insertOnEdge`), to the side, clear of both ends. */
function insertAside(design: Design, edge: DesignEdge, node: Pick<DesignNode, 'kind' | 'params'>, base: string): Design {
  const src = design.nodes.find((n) => n.id === edge.source);
  const dst = design.nodes.find((n) => n.id === edge.target);
  const position = src?.position && dst?.position
    ? { x: Math.round(Math.max(src.position.x, dst.position.x) + 240), y: Math.round((src.position.y + dst.position.y) / 2) }
    : undefined;
  return insertOnEdge(design, edge, { ...node, id: freshId(design, base), ...(position ? { position } : {}) }).design;
}

function inputEdges(design: Design, id: string): DesignEdge[] {
  const list = design.edges.filter((e) => e.target === id);
  return list
    .map((e, i) => ({ e, port: e.targetPort ?? i }))
    .sort((a, b) => a.port - b.port)
    .map((x) => x.e);
}

export function quickFixes(design: Design, node: DesignNode, a: NodeAnalysis | undefined, depth: Record<string, number>): QuickFix[] {
  if (!a?.error || !a.inputShapes || a.inputShapes.some((s) => !s)) return [];
  const shapes = a.inputShapes as number[][];
  const edges = inputEdges(design, node.id);
  if (edges.length !== shapes.length) return [];
  const fixes: QuickFix[] = [];

  if (node.kind === 'add') {
    // the deepest input is the main path; the others are skips to be projected onto its shape
    let main = 0;
    edges.forEach((e, i) => {
      if ((depth[e.source] ?? 0) > (depth[edges[main].source] ?? 0)) main = i;
    });
    const target = shapes[main];
    if (target.length !== 3) return [];
    edges.forEach((edge, i) => {
      const s = shapes[i];
      if (i === main || s.length !== 3 || s.every((d, j) => d === target[j])) return;
      const sh = s[0] / target[0];
      const sw = s[1] / target[1];
      const strideH = Math.ceil(sh);
      const strideW = Math.ceil(sw);
      if (Math.floor((s[0] - 1) / strideH) + 1 !== target[0] || Math.floor((s[1] - 1) / strideW) + 1 !== target[1]) return;
      const stride = strideH === strideW ? strideH : [strideH, strideW];
      const conv = getLayerKind('conv2d')!;
      const strideText = strideH > 1 || strideW > 1 ? ` stride ${strideH === strideW ? strideH : `${strideH}×${strideW}`}` : '';
      fixes.push({
        label: `Insert a 1×1 projection conv (${target[2]} filters${strideText}) on the input from ${edge.source}`,
        apply: (d) => insertAside(d, edge, {
          kind: 'conv2d',
          params: { ...defaultParams(conv.params), filters: target[2], kernelSize: 1, strides: stride, padding: 'valid', useBias: false },
        }, 'projection'),
      });
    });
  }

  if (node.kind === 'dense' && shapes[0].length === 3) {
    fixes.push({
      label: `Insert Flatten (${shapes[0].join('×')} → ${shapes[0].reduce((x, y) => x * y, 1)})`,
      apply: (d) => insertAside(d, edges[0], { kind: 'flatten', params: {} }, 'flatten'),
    });
    fixes.push({
      label: `Insert Global average pool (${shapes[0].join('×')} → ${shapes[0][2]})`,
      apply: (d) => insertAside(d, edges[0], { kind: 'globalAvgPool', params: {} }, 'globalAvgPool'),
    });
  }
  return fixes;
}
