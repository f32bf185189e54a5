/**
 * Palette blocks: whole textbook modules dropped as one group. Each is built for the channel count it
 * will receive (so a residual add fits at once) and can be repeated ×N, each copy feeding the next.
 */

import type { DesignEdge, Shape } from './index.ts';
import { Builder, resolveSettings, ROW, type BlockFragment, type BlockSettings, type BlockSpec } from './block-builder.ts';
import { MODERN_BLOCKS } from './blocks-modern.ts';
import { DECODER_BLOCKS } from './blocks-decoder.ts';
import type { BlockOuter } from './block-builder.ts';

export type { BlockFragment, BlockOuter, BlockSetting, BlockSettings, BlockSpec } from './block-builder.ts';
export { resolveSettings } from './block-builder.ts';

const conv = (filters: number, k: number, extra: Record<string, unknown> = {}) => ({ filters, kernelSize: k, padding: 'same', useBias: false, ...extra });
const bn = () => ({ epsilon: 0.00001, momentum: 0.9 });
const relu = () => ({ fn: 'relu' });

export const BLOCKS: BlockSpec[] = [
  {
    key: 'residual-basic',
    title: 'Residual basic block',
    doc: 'ResNet-18/34 block: two 3×3 convs with batch norm, and a skip edge added back before the last ReLU.',
    groupKind: 'residual',
    outChannels: (cin) => cin,
    build(cin) {
      const b = new Builder('residual');
      const c1 = b.node('conv_a', 'conv2d', conv(cin, 3), 0, 0);
      const n1 = b.node('bn_a', 'batchNorm', bn(), 0, 1);
      const r1 = b.node('relu_a', 'activation', relu(), 0, 2);
      const c2 = b.node('conv_b', 'conv2d', conv(cin, 3), 0, 3);
      const n2 = b.node('bn_b', 'batchNorm', bn(), 0, 4);
      const add = b.node('add', 'add', {}, 0, 5);
      const r2 = b.node('relu_out', 'activation', relu(), 0, 6);
      b.chain(c1, n1, r1, c2, n2);
      b.edge(n2, add, 0);
      b.chain(add, r2);
      return { nodes: b.nodes, edges: b.edges, entries: [{ node: c1 }, { node: add, port: 1 }], exit: r2 };
    },
  },
  {
    key: 'residual-bottleneck',
    title: 'Residual bottleneck',
    doc: 'ResNet-50 block: 1×1 down to a quarter of the channels, 3×3, 1×1 back up, and the skip edge.',
    groupKind: 'residual',
    outChannels: (cin) => cin,
    build(cin) {
      const mid = Math.max(1, Math.round(cin / 4));
      const b = new Builder('residual');
      const ids = [
        b.node('reduce', 'conv2d', conv(mid, 1), 0, 0),
        b.node('bn_a', 'batchNorm', bn(), 0, 1),
        b.node('relu_a', 'activation', relu(), 0, 2),
        b.node('conv', 'conv2d', conv(mid, 3), 0, 3),
        b.node('bn_b', 'batchNorm', bn(), 0, 4),
        b.node('relu_b', 'activation', relu(), 0, 5),
        b.node('expand', 'conv2d', conv(cin, 1), 0, 6),
        b.node('bn_c', 'batchNorm', bn(), 0, 7),
      ];
      b.chain(...ids);
      const add = b.node('add', 'add', {}, 0, 8);
      b.edge(ids[ids.length - 1], add, 0);
      const out = b.node('relu_out', 'activation', relu(), 0, 9);
      b.chain(add, out);
      return { nodes: b.nodes, edges: b.edges, entries: [{ node: ids[0] }, { node: add, port: 1 }], exit: out };
    },
  },
  {
    key: 'inception',
    title: 'Inception module',
    doc: 'GoogLeNet (3a): 1×1, 1×1→3×3, 1×1→5×5 and pool→1×1 side by side, concatenated along channels.',
    groupKind: 'inception',
    outChannels: () => 64 + 128 + 32 + 32,
    build() {
      const b = new Builder('inception');
      const act = { padding: 'same', useBias: true, activation: 'relu' };
      const b1 = b.node('branch1x1', 'conv2d', { filters: 64, kernelSize: 1, ...act }, 0, 0);
      const b2a = b.node('branch3x3_reduce', 'conv2d', { filters: 96, kernelSize: 1, ...act }, 1, 0);
      const b2 = b.node('branch3x3', 'conv2d', { filters: 128, kernelSize: 3, ...act }, 1, 1);
      const b3a = b.node('branch5x5_reduce', 'conv2d', { filters: 16, kernelSize: 1, ...act }, 2, 0);
      const b3 = b.node('branch5x5', 'conv2d', { filters: 32, kernelSize: 5, ...act }, 2, 1);
      const p = b.node('pool', 'maxPool2d', { poolSize: 3, strides: 1, padding: 'same' }, 3, 0);
      const pp = b.node('pool_proj', 'conv2d', { filters: 32, kernelSize: 1, ...act }, 3, 1);
      const cat = b.node('concat', 'concat', {}, 1.5, 2);
      b.chain(b2a, b2);
      b.chain(b3a, b3);
      b.chain(p, pp);
      [b1, b2, b3, pp].forEach((s, i) => b.edge(s, cat, i));
      return { nodes: b.nodes, edges: b.edges, entries: [{ node: b1 }, { node: b2a }, { node: b3a }, { node: p }], exit: cat };
    },
  },
  {
    key: 'dense-block',
    title: 'Dense block (4 layers)',
    doc: 'DenseNet: each layer (BN, ReLU, 1×1 to 128, BN, ReLU, 3×3 to 32) is concatenated onto everything before it.',
    groupKind: 'dense',
    outChannels: (cin) => cin + 4 * 32,
    build() {
      const b = new Builder('dense');
      const entries: BlockFragment['entries'] = [];
      let prev: string | null = null;
      for (let i = 1; i <= 4; i++) {
        const r = (i - 1) * 7;
        const ids = [
          b.node(`l${i}_bn_a`, 'batchNorm', bn(), 0, r),
          b.node(`l${i}_relu_a`, 'activation', relu(), 0, r + 1),
          b.node(`l${i}_conv1x1`, 'conv2d', conv(128, 1), 0, r + 2),
          b.node(`l${i}_bn_b`, 'batchNorm', bn(), 0, r + 3),
          b.node(`l${i}_relu_b`, 'activation', relu(), 0, r + 4),
          b.node(`l${i}_conv3x3`, 'conv2d', conv(32, 3), 0, r + 5),
        ];
        b.chain(...ids);
        const cat = b.node(`l${i}_concat`, 'concat', {}, 1, r + 6);
        if (prev) {
          b.edge(prev, ids[0]);
          b.edge(prev, cat, 0);
        } else {
          entries.push({ node: ids[0] }, { node: cat, port: 0 });
        }
        b.edge(ids[5], cat, 1);
        prev = cat;
      }
      return { nodes: b.nodes, edges: b.edges, entries, exit: prev! };
    },
  },
  {
    key: 'transition',
    title: 'Transition layer',
    doc: 'DenseNet transition: BN, ReLU, a 1×1 conv halving the channels, and 2×2 average pooling.',
    groupKind: 'transition',
    outChannels: (cin) => Math.max(1, Math.floor(cin / 2)),
    build(cin) {
      const b = new Builder('transition');
      const ids = [
        b.node('bn', 'batchNorm', bn(), 0, 0),
        b.node('relu', 'activation', relu(), 0, 1),
        b.node('conv', 'conv2d', conv(Math.max(1, Math.floor(cin / 2)), 1), 0, 2),
        b.node('pool', 'avgPool2d', { poolSize: 2, strides: 2 }, 0, 3),
      ];
      b.chain(...ids);
      return { nodes: b.nodes, edges: b.edges, entries: [{ node: ids[0] }], exit: ids[3] };
    },
  },
  ...MODERN_BLOCKS,
  ...DECODER_BLOCKS,
];

/**
 * Which selected layers feed a block inserted below the selection: `input` its entries, `skip` its skip entry (a
 * block that `takesSkip`, with two or more layers selected). Of the last two selected, the one with the smaller
 * H×W is the input (the deep map a decoder block upsamples) and the other the skip, whatever order they were
 * clicked in; where the sizes do not tell (equal or unknown), the last selected is the input, as for every block.
 * @example blockFeeds(upBlock, ['enc2', 'bottom'], shapes) // → { input: 'bottom', skip: 'enc2' }
 */
export function blockFeeds(spec: BlockSpec, selection: readonly string[], shapeOf: (id: string) => Shape | null | undefined): { input?: string; skip?: string } {
  const last = selection[selection.length - 1];
  if (!spec.takesSkip || selection.length < 2) return { input: last };
  const before = selection[selection.length - 2];
  const area = (id: string) => {
    const x = shapeOf(id);
    return x && x.length === 3 ? x[0] * x[1] : null;
  };
  const [a, b] = [area(before), area(last)];
  return a !== null && b !== null && a < b ? { input: before, skip: last } : { input: last, skip: before };
}

export function getBlock(key: string): BlockSpec | undefined {
  return BLOCKS.find((b) => b.key === key);
}

/**
 * `n` copies of a block, each in its own group, the exit of one feeding the entries of the next: a stage.
 * Copies after the first are built for the channels the previous one hands on (`outChannels`). `given` are the
 * block's settings (those missing or not allowed take their defaults: `resolveSettings`); `outer` the shapes of the
 * layers that feed the first copy (`BlockSpec.build`), whose `skip` entry alone is kept (the copies after it leave
 * theirs to be wired).
 */
export function repeatBlock(spec: BlockSpec, cin: number, n: number, given: Partial<BlockSettings> = {}, outer?: BlockOuter): BlockFragment {
  const settings = resolveSettings(spec, given);
  const all: BlockFragment = { nodes: [], edges: [], groups: [], entries: [], exit: '' };
  let channels = cin;
  let yOffset = 0;
  for (let i = 0; i < n; i++) {
    const f = spec.build(channels, settings, i, i === 0 ? outer : undefined);
    const suffix = n > 1 ? `_${i + 1}` : '';
    const rename = (id: string) => `${spec.prefix ?? spec.groupKind}${suffix}.${id}`.slice(0, 60);
    const group = `${spec.key}${suffix}`;
    const rows = Math.max(...f.nodes.map((x) => x.position!.y));
    all.groups!.push({ id: group, label: `${spec.title}${n > 1 ? ` ${i + 1}` : ''}`, kind: spec.groupKind });
    for (const node of f.nodes) {
      all.nodes.push({ ...node, id: rename(node.id), group, position: { x: node.position!.x, y: node.position!.y + yOffset } });
    }
    f.edges.forEach((e) => all.edges.push({ ...e, id: `${e.id}${suffix}`, source: rename(e.source), target: rename(e.target) }));
    if (i === 0) {
      all.entries = f.entries.map((x) => ({ ...x, node: rename(x.node) }));
      if (f.skip) all.skip = { ...f.skip, node: rename(f.skip.node) };
    }
    else {
      for (const x of f.entries) {
        const e: DesignEdge = { id: `link${suffix}_${x.node}`, source: all.exit, target: rename(x.node) };
        if (x.port !== undefined) e.targetPort = x.port;
        all.edges.push(e);
      }
    }
    all.exit = rename(f.exit);
    channels = spec.outChannels(channels, settings);
    yOffset += rows + ROW;
  }
  return all;
}
