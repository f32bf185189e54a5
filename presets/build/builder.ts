/**
 * A tiny builder for preset designs: it chains nodes, wires edges and lays the graph out top to bottom in
 * the order data flows (y grows by `STEP` per node; parallel branches sit side by side, `SPREAD` apart).
 * Every preset under `presets/` is written by one of the family files next to this one.
 *
 * @example
 *   const b = new Builder('Tiny', 'A conv and a classifier.');
 *   b.input('input', [32, 32, 3]);
 *   b.conv('conv1', { filters: 8, kernelSize: 3, padding: 1, activation: 'relu' });
 *   b.gap('avgpool'); b.dense('fc', { units: 10 });
 *   const design = b.design();
 */

import type { Design, DesignEdge, DesignGroup, DesignNode, GroupKind, Shape } from '../../src/engine/index.ts';

/** Vertical distance between a node and the next one on its path. */
export const STEP = 110;
/** Horizontal distance between parallel branches. */
export const SPREAD = 220;
/**
 * Layout of a block with a skip: the main path half a column to the left, a projection shortcut half a column
 * to the right, and the merge (with the block's input above it) in the middle, so an identity skip runs down a
 * free column.
 */
export const SIDE_BY_SIDE = [-SPREAD / 2, SPREAD / 2];
export const MAIN_ONLY = [-SPREAD / 2];

type Params = Record<string, unknown>;

export interface AddOptions {
  /** The node(s) feeding this one, in input order; default: the node added last. `[]` for none. */
  from?: string | string[];
  /** Display name, only where it differs from the id (ids already are the reference layer names). */
  name?: string;
}

export class Builder {
  readonly nodes: DesignNode[] = [];
  readonly edges: DesignEdge[] = [];
  readonly groups: DesignGroup[] = [];
  /** The node added last: the default input of the next one. */
  last = '';
  /** Where the next node goes. */
  x = 0;
  y = 0;
  private group: string | undefined;
  private readonly ids = new Set<string>();

  constructor(public name: string, public description: string) {}

  /** Adds a node at the cursor, fed by `opts.from` (default: the last node); moves the cursor one step down. */
  add(kind: string, id: string, params: Params = {}, opts: AddOptions = {}): string {
    if (this.ids.has(id)) throw new Error(`preset '${this.name}': duplicate node id '${id}'`);
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) throw new Error(`preset '${this.name}': bad node id '${id}'`);
    this.ids.add(id);
    // Key order kept stable for the committed JSON: id, kind, name, params, group, position.
    const node: DesignNode = {
      id,
      kind,
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      params,
      ...(this.group !== undefined ? { group: this.group } : {}),
      position: { x: this.x, y: this.y },
    };
    this.nodes.push(node);
    const from = opts.from === undefined ? (this.last ? [this.last] : []) : Array.isArray(opts.from) ? opts.from : [opts.from];
    for (const source of from) this.edge(source, id);
    this.last = id;
    this.y += STEP;
    return id;
  }

  edge(source: string, target: string): void {
    if (!this.ids.has(source)) throw new Error(`preset '${this.name}': edge from unknown node '${source}'`);
    this.edges.push({ id: `e${this.edges.length + 1}`, source, target });
  }

  input(id: string, shape: Shape, opts: AddOptions = {}): string {
    return this.add('input', id, { shape }, { from: [], ...opts });
  }
  conv(id: string, params: Params, opts?: AddOptions): string {
    return this.add('conv2d', id, params, opts);
  }
  bn(id: string, params: Params, opts?: AddOptions): string {
    return this.add('batchNorm', id, params, opts);
  }
  relu(id: string, opts?: AddOptions): string {
    return this.add('activation', id, { fn: 'relu' }, opts);
  }
  act(id: string, fn: string, opts?: AddOptions): string {
    return this.add('activation', id, { fn }, opts);
  }
  maxPool(id: string, params: Params, opts?: AddOptions): string {
    return this.add('maxPool2d', id, params, opts);
  }
  avgPool(id: string, params: Params, opts?: AddOptions): string {
    return this.add('avgPool2d', id, params, opts);
  }
  gap(id: string, opts?: AddOptions): string {
    return this.add('globalAvgPool', id, {}, opts);
  }
  flatten(id: string, opts?: AddOptions): string {
    return this.add('flatten', id, {}, opts);
  }
  dense(id: string, params: Params, opts?: AddOptions): string {
    return this.add('dense', id, params, opts);
  }
  dropout(id: string, rate: number, opts?: AddOptions): string {
    return this.add('dropout', id, { rate }, opts);
  }
  lrn(id: string, params: Params, opts?: AddOptions): string {
    return this.add('lrn', id, params, opts);
  }
  zeroPad(id: string, padding: number | [number, number], opts?: AddOptions): string {
    return this.add('zeroPad2d', id, { padding }, opts);
  }
  /** Element-wise sum; `from` lists the inputs (main path first, then the skip). */
  sum(id: string, from: string[], opts: Omit<AddOptions, 'from'> = {}): string {
    return this.add('add', id, {}, { ...opts, from });
  }
  concat(id: string, from: string[], opts: Omit<AddOptions, 'from'> = {}): string {
    return this.add('concat', id, {}, { ...opts, from });
  }

  /** Runs `fn` with every node it adds joining a new group. */
  inGroup<T>(id: string, kind: GroupKind, label: string, fn: () => T): T {
    if (this.group !== undefined) throw new Error('groups do not nest');
    this.groups.push({ id, label, kind });
    this.group = id;
    try {
      return fn();
    } finally {
      this.group = undefined;
    }
  }

  /**
   * Lays out parallel paths from `from`: path i starts one step below the cursor at x offset `offsets[i]`
   * (default: centred, `SPREAD` apart). Each function adds its nodes and returns its last id (a function
   * that adds nothing returns `from`, a bare skip). The cursor ends below the longest path, back in the
   * starting column; returns the ends in order.
   */
  branches(from: string, paths: (() => string)[], offsets?: number[]): string[] {
    const x0 = this.x;
    const y0 = this.y;
    let yMax = y0;
    const ends = paths.map((path, i) => {
      this.x = x0 + (offsets ? offsets[i] : (i - (paths.length - 1) / 2) * SPREAD);
      this.y = y0;
      this.last = from;
      const end = path();
      yMax = Math.max(yMax, this.y);
      return end;
    });
    this.x = x0;
    this.y = yMax;
    return ends;
  }

  /** Moves the cursor without adding a node (e.g. a gap between two side-by-side designs). */
  moveTo(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  design(): Design {
    const d: Design = {
      format: 'convas.design',
      version: 1,
      name: this.name,
      description: this.description,
      nodes: this.nodes,
      edges: this.edges,
    };
    if (this.groups.length) d.groups = this.groups;
    return d;
  }
}
