/**
 * Synthetic designs for benchmarks: chains and branchy graphs (inception-like, dense-like) of about N nodes.
 * Shapes stay small and constant so that any N is a valid design.
 */

import type { Design, DesignEdge, DesignNode } from '../src/engine/index.ts';

class Gen {
  nodes: DesignNode[] = [];
  edges: DesignEdge[] = [];
  constructor(private name: string) {}
  add(kind: string, params: Record<string, unknown>, from: string[], group?: string): string {
    const id = `n${this.nodes.length}`;
    const node: DesignNode = { id, kind, params };
    if (group) node.group = group;
    this.nodes.push(node);
    for (const s of from) this.edges.push({ id: `e${this.edges.length}`, source: s, target: id });
    return id;
  }
  design(groups: Design['groups'] = []): Design {
    const d: Design = { format: 'convas.design', version: 1, name: this.name, nodes: this.nodes, edges: this.edges };
    if (groups.length) d.groups = groups;
    return d;
  }
}

/** input → (conv 3×3 → batch norm → relu)… */
export function chainDesign(n: number): Design {
  const g = new Gen(`chain ${n}`);
  let last = g.add('input', { shape: [32, 32, 16] }, []);
  const kinds = [
    ['conv2d', { filters: 16, kernelSize: 3, padding: 'same', useBias: false }],
    ['batchNorm', {}],
    ['activation', { fn: 'relu' }],
  ] as const;
  for (let i = 1; i < n; i++) {
    const [kind, params] = kinds[i % 3];
    last = g.add(kind, { ...params }, [last]);
  }
  return g.design();
}

/** Inception modules (4 branches joined by concat, 8 nodes each), each module a group. */
export function inceptionDesign(n: number): Design {
  const g = new Gen(`inception-like ${n}`);
  const groups: NonNullable<Design['groups']> = [];
  let last = g.add('input', { shape: [28, 28, 64] }, []);
  for (let m = 0; g.nodes.length + 8 <= Math.max(n, 9); m++) {
    const grp = `m${m}`;
    groups.push({ id: grp, kind: 'inception', label: `Inception ${m + 1}` });
    const conv = (k: number, from: string) => g.add('conv2d', { filters: 16, kernelSize: k, padding: 'same', activation: 'relu' }, [from], grp);
    const b1 = conv(1, last);
    const b2 = conv(3, conv(1, last));
    const b3 = conv(5, conv(1, last));
    const b4 = conv(1, g.add('maxPool2d', { poolSize: 3, strides: 1, padding: 'same' }, [last], grp));
    last = g.add('concat', {}, [b1, b2, b3, b4], grp);
  }
  return g.design(groups);
}

/** Dense blocks of 12 layers (bn → relu → 1×1 → bn → relu → 3×3 → concat) with 1×1 transitions back to 64 channels. */
export function denseDesign(n: number): Design {
  const g = new Gen(`dense-like ${n}`);
  const groups: NonNullable<Design['groups']> = [];
  let last = g.add('input', { shape: [16, 16, 64] }, []);
  let block = 0;
  while (g.nodes.length + 7 <= Math.max(n, 8)) {
    const grp = `d${block++}`;
    groups.push({ id: grp, kind: 'dense', label: `Dense block ${block}` });
    for (let layer = 0; layer < 12 && g.nodes.length + 7 <= n; layer++) {
      let x = g.add('batchNorm', {}, [last], grp);
      x = g.add('activation', { fn: 'relu' }, [x], grp);
      x = g.add('conv2d', { filters: 128, kernelSize: 1, useBias: false }, [x], grp);
      x = g.add('batchNorm', {}, [x], grp);
      x = g.add('activation', { fn: 'relu' }, [x], grp);
      x = g.add('conv2d', { filters: 32, kernelSize: 3, padding: 1, useBias: false }, [x], grp);
      last = g.add('concat', {}, [last, x], grp);
    }
    if (g.nodes.length + 1 <= n) last = g.add('conv2d', { filters: 64, kernelSize: 1, useBias: false }, [last]);
  }
  return g.design(groups);
}

/**
 * An input, then a cycle of about N nodes that no input reaches ((conv 3×3 → batch norm → relu)… back to the
 * first): every node is on the cycle, so every analysis, advice and memory walk meets it (issue 23: such a walk
 * once grew quadratically).
 */
export function unreachableCycleDesign(n: number): Design {
  const d = chainDesign(n);
  d.name = `unreachable cycle ${n}`;
  // the chain's first edge (input → first layer) becomes the cycle's closing edge (last layer → first layer)
  d.edges[0] = { id: 'e0', source: d.nodes[d.nodes.length - 1].id, target: d.nodes[1].id };
  return d;
}

/** An input, then about N nodes in disconnected pieces of three (conv → batch norm → relu) that no input feeds. */
export function disconnectedPiecesDesign(n: number): Design {
  const g = new Gen(`disconnected pieces ${n}`);
  g.add('input', { shape: [32, 32, 16] }, []);
  while (g.nodes.length + 3 <= Math.max(n, 4)) {
    const c = g.add('conv2d', { filters: 16, kernelSize: 3, padding: 'same', useBias: false }, []);
    g.add('activation', { fn: 'relu' }, [g.add('batchNorm', {}, [c])]);
  }
  return g.design();
}

/**
 * input → (conv 5×5 with bias → batch norm)…: every conv is advised twice (its 5×5 as two 3×3s, its bias before the
 * batch norm), so advice makes a candidate rewrite per layer (issue 23: each once cost a full analysis).
 */
export function factorizableChainDesign(n: number): Design {
  const g = new Gen(`5×5 chain ${n}`);
  let last = g.add('input', { shape: [32, 32, 16] }, []);
  for (let i = 1; i < n; i++) {
    last = i % 2 ? g.add('conv2d', { filters: 16, kernelSize: 5, padding: 'same' }, [last]) : g.add('batchNorm', {}, [last]);
  }
  return g.design();
}

export const GENERATORS = { chain: chainDesign, inception: inceptionDesign, dense: denseDesign } as const;
