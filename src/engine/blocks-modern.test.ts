/**
 * The modern palette blocks against counts worked by hand from each layer's formula (conv kh·kw·Cin·Cout
 * (+ Cout bias), depthwise kh·kw·C, batch norm 4·C of which 2·C statistics, layer norm 2·C, layer scale C).
 * The same numbers are torchvision 0.14's modules (checked once with torch 1.13, not by this test):
 * mobilenet_v2 features[3] 8,832 + 624, efficientnet_b0 features[4][0] 37,130 + 1,120,
 * mobilenet_v3_large features[12] 386,120 + 2,912, convnext_tiny features[1][0] 79,296, shufflenet_v2_x1_0
 * stage2[0] 7,398 + 512 and stage2[1] 7,598 + 348.
 */

import { describe, expect, it } from 'vitest';
import { analyze, emptyDesign, pasteFragment, type Design } from './index.ts';
import { getBlock, repeatBlock, resolveSettings, type BlockSettings } from './blocks.ts';
import { makeDivisible } from './blocks-modern.ts';

function withInput(shape: number[]): Design {
  return { ...emptyDesign('b'), nodes: [{ id: 'in', kind: 'input', params: { shape }, position: { x: 0, y: 0 } }], edges: [] };
}

/** The block `key` ×`times` on an input of `shape`, analysed; node numbers by the block's own node names. */
function insert(key: string, shape: number[], settings: Partial<BlockSettings> = {}, times = 1) {
  const fragment = repeatBlock(getBlock(key)!, shape[2], times, settings);
  const { design, idMap } = pasteFragment(withInput(shape), fragment, { at: { x: 0, y: 100 } }, 'in');
  const a = analyze(design);
  const exit = a.nodes.find((n) => n.id === idMap.get(fragment.exit))!;
  const node = (name: string) => {
    const found = a.nodes.filter((n) => n.id.endsWith(`.${name}`));
    expect(found, name).toHaveLength(1);
    return found[0];
  };
  return { a, design, exit, node, params: (name: string) => node(name).params };
}

const conv1x1 = (cin: number, cout: number, bias: boolean) => cin * cout + (bias ? cout : 0);
const bn = (c: number) => 4 * c;

describe('squeeze-and-excitation gate', () => {
  it('pools to 1×1×C, squeezes to ⌊C/r⌋, excites back to C and multiplies the input', () => {
    const { a, exit, node, params } = insert('squeeze-excitation', [14, 14, 96]);
    expect(a.errors).toEqual([]);
    // r 16: 96 → 6 → 96, both 1×1 convs with bias
    expect(node('se_pool').outputShape).toEqual([1, 1, 96]);
    expect(params('se_squeeze')).toBe(96 * 6 + 6);
    expect(params('se_excite')).toBe(6 * 96 + 96);
    expect(a.totals.params).toBe(582 + 672);
    expect(exit.kind).toBe('multiply');
    expect(exit.outputShape).toEqual([14, 14, 96]);
  });

  it('takes its reduction and a hard-sigmoid gate from its settings', () => {
    const { a, design, params } = insert('squeeze-excitation', [14, 14, 96], { reduction: 4, gate: 'hardSigmoid' });
    expect(a.errors).toEqual([]);
    expect(params('se_squeeze')).toBe(96 * 24 + 24);
    expect(a.totals.params).toBe(96 * 24 + 24 + 24 * 96 + 96);
    expect(design.nodes.find((n) => n.id.endsWith('.se_excite'))!.params.activation).toBe('hardSigmoid');
  });

  it('rounds the squeeze as MobileNet v3 does, and takes EfficientNet\'s SiLU inside', () => {
    // 72 channels / 4 = 18 → the nearest multiple of 8 is 16, 11% below 18, so 24 (torchvision's features.4 SE: 24).
    const { a, design, params } = insert('squeeze-excitation', [28, 28, 72], { reduction: 4, roundTo8: true, inner: 'swish' });
    expect(a.errors).toEqual([]);
    expect(params('se_squeeze')).toBe(72 * 24 + 24);
    expect(design.nodes.find((n) => n.id.endsWith('.se_squeeze'))!.params.activation).toBe('swish');
    // 960 / 4 = 240, already a multiple of 8 (features.14's SE).
    expect(insert('squeeze-excitation', [7, 7, 960], { reduction: 4, roundTo8: true }).params('se_squeeze')).toBe(960 * 240 + 240);
  });
});

describe('inverted residual (MBConv)', () => {
  it('MobileNet v2, expansion 6 from 24 to 24: 1×1 24→144, BN, dw 3×3, BN, 1×1 144→24, BN, and the skip add', () => {
    const { a, exit, params } = insert('inverted-residual', [56, 56, 24]);
    expect(a.errors).toEqual([]);
    expect(params('expand')).toBe(conv1x1(24, 144, false));
    expect(params('bn_expand')).toBe(bn(144));
    expect(params('depthwise')).toBe(3 * 3 * 144);
    expect(params('bn_depthwise')).toBe(bn(144));
    expect(params('project')).toBe(conv1x1(144, 24, false));
    expect(params('bn_project')).toBe(bn(24));
    expect(a.totals.trainableParams).toBe(3456 + 288 + 1296 + 288 + 3456 + 48);
    expect(a.totals.nonTrainableParams).toBe(288 + 288 + 48);
    // MACs of the three convs at 56×56: 56·56·24·144 twice and 56·56·144·9
    expect(a.totals.macs).toBe(2 * 56 * 56 * 24 * 144 + 56 * 56 * 144 * 9);
    expect(exit.kind).toBe('add');
    expect(exit.outputShape).toEqual([56, 56, 24]);
  });

  it('EfficientNet-B0, 40 to 80 at stride 2 with SE (squeeze to Cin/4, swish, sigmoid): no skip', () => {
    const { a, exit, node, params } = insert('inverted-residual', [56, 56, 40], { outChannels: 80, stride: 2, se: true, activation: 'swish' });
    expect(a.errors).toEqual([]);
    expect(node('depthwise').outputShape).toEqual([28, 28, 240]);
    expect(params('se_squeeze')).toBe(conv1x1(240, 10, true));
    expect(params('se_excite')).toBe(conv1x1(10, 240, true));
    const trainable = 40 * 240 + 2 * 240 + 9 * 240 + 2 * 240 + (240 * 10 + 10) + (10 * 240 + 240) + 240 * 80 + 2 * 80;
    expect(a.totals.trainableParams).toBe(trainable);
    expect(a.totals.nonTrainableParams).toBe(2 * 240 + 2 * 240 + 2 * 80);
    expect(exit.kind).toBe('batchNorm');
    expect(exit.outputShape).toEqual([28, 28, 80]);
  });

  it('MobileNet v3, 112 to 112, hardSwish and SE (squeeze ⌊672/4⌋ made a multiple of 8, ReLU, hard sigmoid)', () => {
    const { a, design, exit, params } = insert('inverted-residual', [14, 14, 112], { se: true, activation: 'hardSwish' });
    expect(a.errors).toEqual([]);
    expect(makeDivisible(168)).toBe(168);
    expect(params('se_squeeze')).toBe(conv1x1(672, 168, true));
    expect(params('se_excite')).toBe(conv1x1(168, 672, true));
    expect(a.totals.trainableParams).toBe(112 * 672 + 2 * 672 + 9 * 672 + 2 * 672 + (672 * 168 + 168) + (168 * 672 + 672) + 672 * 112 + 2 * 112);
    expect(a.totals.nonTrainableParams).toBe(2 * 672 + 2 * 672 + 2 * 112);
    expect(design.nodes.find((n) => n.id.endsWith('.se_excite'))!.params.activation).toBe('hardSigmoid');
    expect(design.nodes.filter((n) => n.params.fn === 'hardSwish')).toHaveLength(2);
    expect(exit.kind).toBe('add');
  });

  it('expansion 1 has no expansion conv; a 5×5 kernel is padded by 2', () => {
    const { a, design, exit } = insert('inverted-residual', [28, 28, 16], { expansion: 1, kernel: 5 });
    expect(a.errors).toEqual([]);
    expect(design.nodes.some((n) => n.id.endsWith('.expand'))).toBe(false);
    expect(a.totals.params).toBe(25 * 16 + bn(16) + 16 * 16 + bn(16));
    expect(exit.outputShape).toEqual([28, 28, 16]);
  });

  it('×3 is a stage: the first block strides and changes the channels, the copies after it add their skips', () => {
    const { a, exit } = insert('inverted-residual', [56, 56, 24], { outChannels: 40, stride: 2 }, 3);
    expect(a.errors).toEqual([]);
    expect(a.groups).toHaveLength(3);
    expect(a.nodes.filter((n) => n.kind === 'add')).toHaveLength(2);
    expect(exit.outputShape).toEqual([28, 28, 40]);
  });
});

describe('ConvNeXt block', () => {
  it('dw 7×7 with bias, layer norm, 1×1 to 4·C with GELU, 1×1 back, layer scale, add: 79,296 params at C = 96', () => {
    const { a, design, exit, params } = insert('convnext', [56, 56, 96]);
    expect(a.errors).toEqual([]);
    expect(params('depthwise')).toBe(49 * 96 + 96);
    expect(params('norm')).toBe(2 * 96);
    expect(params('pw_expand')).toBe(conv1x1(96, 384, true));
    expect(params('pw_project')).toBe(conv1x1(384, 96, true));
    expect(params('layer_scale')).toBe(96);
    expect(a.totals.params).toBe(4800 + 192 + 37_248 + 36_960 + 96);
    expect(a.totals.nonTrainableParams).toBe(0);
    expect(design.nodes.find((n) => n.id.endsWith('.layer_scale'))!.params.initValue).toBe(1e-6);
    expect(exit.kind).toBe('add');
    expect(exit.outputShape).toEqual([56, 56, 96]);
  });
});

describe('block settings', () => {
  it('a value the setting does not allow takes its default; integers are rounded into range', () => {
    const spec = getBlock('inverted-residual')!;
    expect(resolveSettings(spec, { kernel: 4, stride: '2', expansion: 99.4, se: 'yes' as unknown as boolean, activation: 'gelu' }))
      .toEqual({ expansion: 8, kernel: 3, stride: 1, outChannels: 0, se: false, activation: 'relu6' });
  });

  it('makeDivisible rounds to the nearest multiple of 8, at least 8, never 10% below', () => {
    expect([makeDivisible(4), makeDivisible(60), makeDivisible(61), makeDivisible(20)]).toEqual([8, 64, 64, 24]);
  });
});

describe('ShuffleNet v2 unit', () => {
  it('stride 1 at 116 channels: chunk in two halves of 58, the branch 1×1, BN, ReLU, dw 3×3, BN, 1×1, BN, ReLU, concat, shuffle', () => {
    const { a, exit, node, params } = insert('shufflenet-v2', [28, 28, 116]);
    expect(a.errors).toEqual([]);
    expect(node('split_keep').outputShape).toEqual([28, 28, 58]);
    expect(node('split_branch').outputShape).toEqual([28, 28, 58]);
    expect(params('b2_conv_a')).toBe(conv1x1(58, 58, false));
    expect(params('b2_depthwise')).toBe(9 * 58);
    expect(a.totals.trainableParams).toBe(3364 + 116 + 522 + 116 + 3364 + 116);
    expect(a.totals.nonTrainableParams).toBe(3 * 116);
    expect(exit.kind).toBe('channelShuffle');
    expect(exit.outputShape).toEqual([28, 28, 116]);
  });

  it('stride 2 from 24 to 116: both branches on the whole input (dw 3×3 s2, BN, 1×1 to 58 on the left)', () => {
    const { a, exit, params } = insert('shufflenet-v2', [56, 56, 24], { stride: 2, outChannels: 116 });
    expect(a.errors).toEqual([]);
    expect(params('b1_depthwise')).toBe(9 * 24);
    expect(params('b1_conv')).toBe(conv1x1(24, 58, false));
    expect(params('b2_conv_a')).toBe(conv1x1(24, 58, false));
    const left = 9 * 24 + bn(24) + 24 * 58 + bn(58);
    const right = 24 * 58 + bn(58) + 9 * 58 + bn(58) + 58 * 58 + bn(58);
    expect(a.totals.params).toBe(left + right);
    expect(a.totals.nonTrainableParams).toBe(2 * 24 + 4 * 2 * 58);
    expect(exit.outputShape).toEqual([28, 28, 116]);
  });

  it('×4 is ShuffleNet v2 ×1.0 stage 2: one stride-2 unit to 116, three stride-1 units', () => {
    const { a, exit } = insert('shufflenet-v2', [56, 56, 24], { stride: 2, outChannels: 116 }, 4);
    expect(a.errors).toEqual([]);
    expect(a.nodes.filter((n) => n.kind === 'channelSlice')).toHaveLength(6);
    expect(a.totals.params).toBe(7910 + 3 * 7946);
    expect(exit.outputShape).toEqual([28, 28, 116]);
  });
});
