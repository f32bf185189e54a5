/**
 * What a palette block is (src/engine/blocks.ts lists them): its settings, and the builder its nodes are laid
 * out with, one column of `COL` pixels and one row of `ROW` pixels per grid step.
 */

import type { DesignEdge, DesignNode, Fragment, GroupKind, Shape } from './index.ts';

/** One setting of a block, shown beside it in the palette; its value reaches `build` and `outChannels`. */
export type BlockSetting =
  | { type: 'int'; label: string; help: string; min: number; max: number; default: number }
  | { type: 'choice'; label: string; help: string; options: readonly (string | number)[]; default: string | number }
  | { type: 'bool'; label: string; help: string; default: boolean };

/** Setting name → value, every setting of the block present (`resolveSettings` fills and checks them). */
export type BlockSettings = Record<string, string | number | boolean>;

export interface BlockSpec {
  key: string;
  title: string;
  doc: string;
  groupKind: GroupKind;
  /** the start of its node ids (`<prefix>.<node>`); the group kind when absent */
  prefix?: string;
  settings?: Record<string, BlockSetting>;
  /** true for a block with a second input (a decoder's skip from the encoder): its fragment names a `skip` entry */
  takesSkip?: boolean;
  /**
   * The block for `cin` input channels. `copy` counts the copies of a ×N insert from 0: a stage's first block
   * may stride or change the channels, the copies after it keep them (as torchvision's stages are built).
   * `outer` (the first copy only) gives the shapes of the layers that will feed it where they are known: `input`
   * (its entries) and `skip` (the second selected layer, for a block with a `skip` entry).
   */
  build(cin: number, settings: BlockSettings, copy: number, outer?: BlockOuter): BlockFragment;
  /** channels the block hands on, for the next copy of a ×N insert */
  outChannels(cin: number, settings: BlockSettings): number;
}

/** The shapes of the layers that feed a block, where known (`BlockSpec.build`). */
export interface BlockOuter {
  input?: Shape | null;
  skip?: Shape | null;
}

/**
 * A fragment plus where the block's input goes in (node and port) and which node is its output; `skip`, for a
 * block that takes a second map (a decoder's skip from the encoder), where that map goes in.
 */
export interface BlockFragment extends Fragment {
  entries: { node: string; port?: number }[];
  skip?: { node: string; port?: number };
  exit: string;
}

export const ROW = 105;
export const COL = 230;

/** Lays out a block's nodes on a grid (columns, rows) and wires them; every node joins `group`. */
export class Builder {
  nodes: DesignNode[] = [];
  edges: DesignEdge[] = [];
  constructor(private group: string) {}
  node(id: string, kind: string, params: Record<string, unknown>, col: number, row: number) {
    this.nodes.push({ id, kind, params, position: { x: col * COL, y: row * ROW }, group: this.group });
    return id;
  }
  edge(source: string, target: string, targetPort?: number) {
    const e: DesignEdge = { id: `b${this.edges.length + 1}`, source, target };
    if (targetPort !== undefined) e.targetPort = targetPort;
    this.edges.push(e);
  }
  chain(...ids: string[]) {
    for (let i = 1; i < ids.length; i++) this.edge(ids[i - 1], ids[i]);
  }
}

/**
 * Every setting of `spec` from `given` where it is a value the setting allows, else its default: the palette's
 * drag data is read back from outside, so nothing in it is trusted. Integers are rounded and clamped.
 */
export function resolveSettings(spec: BlockSpec, given: Partial<BlockSettings> = {}): BlockSettings {
  const out: BlockSettings = {};
  for (const [name, s] of Object.entries(spec.settings ?? {})) {
    const v = given[name];
    if (s.type === 'int') out[name] = typeof v === 'number' && Number.isFinite(v) ? Math.min(s.max, Math.max(s.min, Math.round(v))) : s.default;
    else if (s.type === 'bool') out[name] = typeof v === 'boolean' ? v : s.default;
    else out[name] = v !== undefined && typeof v !== 'boolean' && s.options.includes(v) ? v : s.default;
  }
  return out;
}
