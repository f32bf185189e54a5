/**
 * The palette blocks of today's mobile and modern CNNs: a squeeze-and-excitation gate (Hu et al. 2018), the
 * inverted residual of MobileNet v2/v3 and EfficientNet (MBConv), the ConvNeXt block (Liu et al. 2022) and the
 * ShuffleNet v2 unit (Ma et al. 2018).
 * Each follows torchvision 0.14's module of that name layer by layer, so its counts are torchvision's.
 */

import { Builder, type BlockFragment, type BlockSettings, type BlockSpec } from './block-builder.ts';

/**
 * Batch norm as torchvision sets it in the network the activation stands for: MobileNet v3 (hardSwish) eps 0.001
 * and momentum 0.01 in PyTorch's terms (0.99 in Keras's, which Convas uses); MobileNet v2 and EfficientNet-B0
 * PyTorch's defaults, eps 1e-5 and momentum 0.1 (0.9).
 */
const bnTorch = () => ({ epsilon: 0.00001, momentum: 0.9 });
const bnFor = (act: string) => (act === 'hardSwish' ? { epsilon: 0.001, momentum: 0.99 } : bnTorch());
const pointwise = (filters: number, extra: Record<string, unknown> = {}) => ({ filters, kernelSize: 1, padding: 'valid', useBias: false, ...extra });

/**
 * torchvision's `_make_divisible(v, 8)` (from the TensorFlow MobileNet code): `v` rounded to the nearest multiple
 * of 8, at least 8, and never more than 10% below `v`. MobileNet v3 sizes its SE squeeze with it.
 */
export function makeDivisible(v: number, divisor = 8): number {
  let n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

/**
 * Adds an SE gate on the map `source` to `b` (its nodes in column `col` from row `row`): a kept-dims global
 * average pool [1, 1, C], a 1×1 conv to `squeeze` channels with `inner`, a 1×1 conv back to C with `gate`, and the
 * multiply of `source` by that [1, 1, C] gate. Returns the multiply's id; when `source` is null the map comes in
 * from outside, and the pool and port 0 of the multiply are where it goes (the caller's entries).
 */
function addSeGate(b: Builder, source: string | null, c: number, squeeze: number, inner: string, gate: string, col: number, row: number): string {
  const pool = b.node('se_pool', 'globalAvgPool', { keepDims: true }, col + 1, row);
  const down = b.node('se_squeeze', 'conv2d', { filters: squeeze, kernelSize: 1, useBias: true, activation: inner }, col + 1, row + 1);
  const up = b.node('se_excite', 'conv2d', { filters: c, kernelSize: 1, useBias: true, activation: gate }, col + 1, row + 2);
  const mul = b.node('se_scale', 'multiply', {}, col, row + 3);
  b.chain(pool, down, up);
  if (source) {
    b.edge(source, pool);
    b.edge(source, mul, 0);
  }
  b.edge(up, mul, 1);
  return mul;
}

const squeezeExcitation: BlockSpec = {
  key: 'squeeze-excitation',
  title: 'Squeeze-and-excitation gate',
  doc: 'SENet: global average pool kept as 1×1×C, 1×1 conv to C/r with ReLU, 1×1 conv back to C with a sigmoid, multiplied into the input channel by channel.',
  groupKind: 'block',
  prefix: 'se',
  settings: {
    reduction: { type: 'int', label: 'Reduction r', min: 1, max: 64, default: 16, help: 'The squeeze has ⌊C/r⌋ channels (at least 1): SENet uses 16, MobileNet v3 and EfficientNet 4' },
    roundTo8: { type: 'bool', label: 'Round to 8', default: false, help: 'MobileNet v3 rounds the squeeze to a multiple of 8 (torchvision\'s _make_divisible: nearest, at least 8, never 10% below)' },
    inner: { type: 'choice', label: 'Inner activation', options: ['relu', 'swish'], default: 'relu', help: 'swish (SiLU) is EfficientNet\'s' },
    gate: { type: 'choice', label: 'Gate', options: ['sigmoid', 'hardSigmoid'], default: 'sigmoid', help: 'hardSigmoid is MobileNet v3\'s cheaper gate' },
  },
  outChannels: (cin) => cin,
  build(cin, s) {
    const b = new Builder('se');
    const squeeze = s.roundTo8 ? makeDivisible(cin / (s.reduction as number)) : Math.max(1, Math.floor(cin / (s.reduction as number)));
    const mul = addSeGate(b, null, cin, squeeze, s.inner as string, s.gate as string, 0, 0);
    return { nodes: b.nodes, edges: b.edges, entries: [{ node: 'se_pool' }, { node: mul, port: 0 }], exit: mul };
  },
};

const mbOut = (cin: number, s: BlockSettings) => (s.outChannels as number) || cin;

const invertedResidual: BlockSpec = {
  key: 'inverted-residual',
  title: 'Inverted residual (MBConv)',
  doc: 'MobileNet v2/v3, EfficientNet: 1×1 expansion, depthwise k×k, optional SE, linear 1×1 projection, and the skip add when stride 1 keeps the channels.',
  groupKind: 'residual',
  prefix: 'mbconv',
  settings: {
    expansion: { type: 'int', label: 'Expansion', min: 1, max: 8, default: 6, help: 'Expanded channels = input channels × this (1: no expansion conv, as torchvision builds it)' },
    kernel: { type: 'choice', label: 'Kernel', options: [3, 5, 7], default: 3, help: 'The depthwise kernel, padded by (k − 1)/2 (PyTorch\'s symmetric padding)' },
    stride: { type: 'choice', label: 'Stride', options: [1, 2], default: 1, help: 'The depthwise stride of a stage\'s first block; ×N copies after it keep stride 1' },
    outChannels: { type: 'int', label: 'Out channels', min: 0, max: 4096, default: 0, help: '0: as many as come in' },
    se: { type: 'bool', label: 'SE', default: false, help: 'swish: EfficientNet\'s gate (squeeze to C_in/4, SiLU, sigmoid); otherwise MobileNet v3\'s (squeeze to ⌊C_exp/4⌋ made a multiple of 8, ReLU, hard sigmoid)' },
    activation: { type: 'choice', label: 'Activation', options: ['relu6', 'swish', 'hardSwish'], default: 'relu6', help: 'MobileNet v2 relu6, EfficientNet swish (SiLU), MobileNet v3 hardSwish' },
  },
  outChannels: mbOut,
  build(cin, s, copy) {
    const b = new Builder('mbconv');
    const cout = mbOut(cin, s);
    const k = s.kernel as number;
    const stride = copy === 0 ? (s.stride as number) : 1;
    const act = s.activation as string;
    const expanded = cin * (s.expansion as number);
    const main: string[] = [];
    // rows counted as nodes go in, so a block without its expansion conv or gate has no gaps
    let row = 0;
    if (expanded !== cin) {
      main.push(
        b.node('expand', 'conv2d', pointwise(expanded), 0, row++),
        b.node('bn_expand', 'batchNorm', bnFor(act), 0, row++),
        b.node('act_expand', 'activation', { fn: act }, 0, row++),
      );
    }
    main.push(
      b.node('depthwise', 'depthwiseConv2d', { kernelSize: k, strides: stride, padding: (k - 1) / 2, useBias: false }, 0, row++),
      b.node('bn_depthwise', 'batchNorm', bnFor(act), 0, row++),
      b.node('act_depthwise', 'activation', { fn: act }, 0, row++),
    );
    b.chain(...main);
    let last = main[main.length - 1];
    if (s.se) {
      const efficient = act === 'swish';
      const squeeze = efficient ? Math.max(1, Math.floor(cin / 4)) : makeDivisible(Math.floor(expanded / 4));
      last = addSeGate(b, last, expanded, squeeze, efficient ? 'swish' : 'relu', efficient ? 'sigmoid' : 'hardSigmoid', 0, row);
      row += 4;
    }
    const project = b.node('project', 'conv2d', pointwise(cout), 0, row++);
    const bn = b.node('bn_project', 'batchNorm', bnFor(act), 0, row++);
    b.chain(last, project, bn);
    const entries: BlockFragment['entries'] = [{ node: main[0] }];
    let exit = bn;
    if (stride === 1 && cin === cout) {
      exit = b.node('add', 'add', {}, 0, row);
      b.edge(bn, exit, 0);
      entries.push({ node: exit, port: 1 });
    }
    return { nodes: b.nodes, edges: b.edges, entries, exit };
  },
};

const convNeXt: BlockSpec = {
  key: 'convnext',
  title: 'ConvNeXt block',
  doc: 'ConvNeXt: depthwise 7×7, layer norm over each pixel\'s channels, 1×1 to 4·C with GELU, 1×1 back to C, layer scale from 1e-6, added to the input.',
  groupKind: 'residual',
  prefix: 'convnext',
  outChannels: (cin) => cin,
  build(cin) {
    const b = new Builder('convnext');
    const ids = [
      b.node('depthwise', 'depthwiseConv2d', { kernelSize: 7, padding: 3, useBias: true }, 0, 0),
      b.node('norm', 'layerNorm', { epsilon: 1e-6 }, 0, 1),
      // torchvision applies Linear layers to the channels-last map: 1×1 convs with bias
      b.node('pw_expand', 'conv2d', { filters: 4 * cin, kernelSize: 1, useBias: true, activation: 'gelu' }, 0, 2),
      b.node('pw_project', 'conv2d', { filters: cin, kernelSize: 1, useBias: true }, 0, 3),
      b.node('layer_scale', 'scale', { initValue: 1e-6 }, 0, 4),
    ];
    b.chain(...ids);
    const add = b.node('add', 'add', {}, 0, 5);
    b.edge(ids[ids.length - 1], add, 0);
    return { nodes: b.nodes, edges: b.edges, entries: [{ node: ids[0] }, { node: add, port: 1 }], exit: add };
  },
};

/** A ShuffleNet v2 unit's output channels: the two halves of ⌊Cout/2⌋ each; a stride-1 unit keeps its input's. */
const shuffleOut = (cin: number, s: BlockSettings) => (s.stride === 2 ? 2 * Math.max(1, Math.floor(((s.outChannels as number) || cin) / 2)) : cin);

const shuffleNetV2: BlockSpec = {
  key: 'shufflenet-v2',
  title: 'ShuffleNet v2 unit',
  doc: 'ShuffleNet v2: split the channels in two, one half through 1×1, depthwise 3×3, 1×1 (the other passed on), concatenate, shuffle 2 groups. Stride 2: both halves are branches on the whole input.',
  groupKind: 'block',
  prefix: 'shuffle',
  settings: {
    stride: { type: 'choice', label: 'Stride', options: [1, 2], default: 1, help: 'A stage\'s first unit strides 2 with two branches; ×N copies after it are stride-1 units' },
    outChannels: { type: 'int', label: 'Out channels', min: 0, max: 4096, default: 0, help: 'Stride 2 only (a stride-1 unit keeps its channels); 0: as many as come in; rounded down to even' },
  },
  outChannels: shuffleOut,
  build(cin, s, copy) {
    const b = new Builder('shuffle');
    const stride = copy === 0 ? (s.stride as number) : 1;
    const cout = shuffleOut(cin, { ...s, stride });
    const half = stride === 2 ? cout / 2 : Math.floor(cin / 2);
    // torchvision's branch2: 1×1, BN, ReLU, depthwise 3×3 (no activation), BN, 1×1, BN, ReLU
    const branch = (col: number, row: number) => {
      const ids = [
        b.node('b2_conv_a', 'conv2d', pointwise(half), col, row),
        b.node('b2_bn_a', 'batchNorm', bnTorch(), col, row + 1),
        b.node('b2_relu_a', 'activation', { fn: 'relu' }, col, row + 2),
        b.node('b2_depthwise', 'depthwiseConv2d', { kernelSize: 3, strides: stride, padding: 1, useBias: false }, col, row + 3),
        b.node('b2_bn_b', 'batchNorm', bnTorch(), col, row + 4),
        b.node('b2_conv_b', 'conv2d', pointwise(half), col, row + 5),
        b.node('b2_bn_c', 'batchNorm', bnTorch(), col, row + 6),
        b.node('b2_relu_b', 'activation', { fn: 'relu' }, col, row + 7),
      ];
      b.chain(...ids);
      return { first: ids[0], last: ids[ids.length - 1] };
    };
    const cat = b.node('concat', 'concat', {}, 0.5, 9);
    const shuffle = b.node('shuffle', 'channelShuffle', { groups: 2 }, 0.5, 10);
    b.chain(cat, shuffle);
    let entries: BlockFragment['entries'];
    if (stride === 1) {
      // torch.chunk(2): the first half has ⌈C/2⌉ channels and passes on untouched, the second goes through the branch
      const kept = b.node('split_keep', 'channelSlice', { start: 0, size: cin - half }, 0, 0);
      const into = b.node('split_branch', 'channelSlice', { start: cin - half, size: half }, 1, 0);
      const br = branch(1, 1);
      b.edge(into, br.first);
      b.edge(kept, cat, 0);
      b.edge(br.last, cat, 1);
      entries = [{ node: kept }, { node: into }];
    } else {
      // torchvision's branch1: depthwise 3×3 stride 2, BN, 1×1 to half, BN, ReLU
      const ids = [
        b.node('b1_depthwise', 'depthwiseConv2d', { kernelSize: 3, strides: 2, padding: 1, useBias: false }, 0, 0),
        b.node('b1_bn_a', 'batchNorm', bnTorch(), 0, 1),
        b.node('b1_conv', 'conv2d', pointwise(half), 0, 2),
        b.node('b1_bn_b', 'batchNorm', bnTorch(), 0, 3),
        b.node('b1_relu', 'activation', { fn: 'relu' }, 0, 4),
      ];
      b.chain(...ids);
      const br = branch(1, 0);
      b.edge(ids[ids.length - 1], cat, 0);
      b.edge(br.last, cat, 1);
      entries = [{ node: ids[0] }, { node: br.first }];
    }
    return { nodes: b.nodes, edges: b.edges, entries, exit: shuffle };
  },
};

export const MODERN_BLOCKS: BlockSpec[] = [squeezeExcitation, invertedResidual, convNeXt, shuffleNetV2];
