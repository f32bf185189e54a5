import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { validateParams } from '../contract/params.ts';
import { getLayerKind } from './registry.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import type { NodeAnalysis, Shape } from '../contract/types.ts';

/** Analyses `input → kind(params)` and returns the layer's row. */
function one(kind: string, params: Record<string, unknown>, input: Shape): NodeAnalysis & { errors: string[] } {
  const b = new DesignBuilder();
  b.input(input);
  const id = b.add(kind, params);
  const a = analyze(b.design());
  return { ...a.nodes.find((n) => n.id === id)!, errors: a.errors.map((e) => e.message) };
}

describe('conv2d', () => {
  it('3×3 from 128 to 64 channels without bias has 3·3·128·64 = 73,728 weights', () => {
    const r = one('conv2d', { filters: 64, kernelSize: 3, useBias: false, padding: 'same' }, [56, 56, 128]);
    expect(r.params).toBe(73_728);
    expect(r.trainableParams).toBe(73_728);
    expect(r.nonTrainableParams).toBe(0);
    expect(r.macs).toBe(56 * 56 * 64 * 3 * 3 * 128);
  });

  it('adds one bias per filter', () => {
    expect(one('conv2d', { filters: 64, kernelSize: 3 }, [56, 56, 128]).params).toBe(73_792);
  });

  it("'same' padding of k//2 with stride 1 keeps H×W, for every odd k", () => {
    for (const k of [1, 3, 5, 7, 11]) {
      expect(one('conv2d', { filters: 4, kernelSize: k, padding: 'same' }, [31, 17, 3]).outputShape).toEqual([31, 17, 4]);
      expect(one('conv2d', { filters: 4, kernelSize: k, padding: Math.floor(k / 2) }, [31, 17, 3]).outputShape).toEqual([31, 17, 4]);
    }
  });

  // out = (W + 2P − K)/S + 1, table-driven like tfjs-layers' shape tests.
  const cases: [number, number, number, number, number, number][] = [
    // in, k, s, p, d, out
    [224, 11, 4, 2, 1, 55],
    [227, 11, 4, 0, 1, 55],
    [224, 7, 2, 3, 1, 112],
    [56, 3, 1, 1, 1, 56],
    [56, 3, 2, 1, 1, 28],
    [56, 1, 2, 0, 1, 28],
    [32, 3, 1, 2, 2, 32],
    [32, 3, 1, 0, 2, 28],
    [10, 4, 3, 0, 1, 3],
  ];
  it.each(cases)('in %i, k %i, s %i, p %i, d %i → %i', (inp, k, s, p, d, out) => {
    const r = one('conv2d', { filters: 2, kernelSize: k, strides: s, padding: p, dilation: d }, [inp, inp, 3]);
    expect(r.outputShape).toEqual([out, out, 2]);
  });

  it("'same' with stride 2 gives ceil(in / 2) and pads the extra pixel after (TensorFlow rule)", () => {
    const r = one('conv2d', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [224, 225, 3]);
    expect(r.outputShape).toEqual([112, 113, 2]);
    // 224: total pad = (112−1)·2 + 3 − 224 = 1 → 0 before, 1 after; 225: total 2 → 1 before.
    expect(r.receptiveField?.padding).toEqual([0, 1]);
  });

  it('takes rectangular kernels and strides', () => {
    const r = one('conv2d', { filters: 8, kernelSize: [1, 7], strides: [1, 2], padding: [0, 3] }, [17, 17, 16]);
    expect(r.outputShape).toEqual([17, 9, 8]);
    expect(r.params).toBe(1 * 7 * 16 * 8 + 8);
  });

  it('grouped convolution divides the weights by the groups', () => {
    const r = one('conv2d', { filters: 256, kernelSize: 5, groups: 2, padding: 2 }, [27, 27, 96]);
    expect(r.params).toBe(5 * 5 * 48 * 256 + 256);
    expect(r.macs).toBe(27 * 27 * 256 * 5 * 5 * 48);
  });

  it('says when groups do not divide the channels', () => {
    expect(one('conv2d', { filters: 64, kernelSize: 3, groups: 5 }, [8, 8, 10]).errors[0]).toMatch(/groups 5 does not divide its 64 filters/);
    expect(one('conv2d', { filters: 64, kernelSize: 3, groups: 4 }, [8, 8, 10]).errors[0]).toMatch(/groups 4 does not divide its 10 input channels/);
  });

  it('says when the kernel is larger than its input', () => {
    const r = one('conv2d', { filters: 8, kernelSize: 7 }, [5, 5, 3]);
    expect(r.outputShape).toBeNull();
    expect(r.errors).toEqual(['kernel 7×7 is larger than its 5×5 input (padding 0)']);
  });

  it('counts the dilated extent when checking the fit', () => {
    expect(one('conv2d', { filters: 8, kernelSize: 3, dilation: 3 }, [6, 6, 3]).errors[0]).toMatch(/dilated to 7×7.*6×6 input/);
  });

  it('refuses a flat input', () => {
    expect(one('conv2d', { filters: 8, kernelSize: 3 }, [100]).errors[0]).toMatch(/needs an image-shaped input/);
  });
});

describe('depthwiseConv2d', () => {
  it('has one kh×kw filter per channel and depth multiplier', () => {
    const r = one('depthwiseConv2d', { kernelSize: 3, padding: 'same', depthMultiplier: 2 }, [14, 14, 32]);
    expect(r.outputShape).toEqual([14, 14, 64]);
    expect(r.params).toBe(3 * 3 * 64 + 64);
    expect(r.macs).toBe(14 * 14 * 64 * 9);
  });
});

describe('pools', () => {
  it('strides default to the pool size', () => {
    expect(one('maxPool2d', { poolSize: 2 }, [224, 224, 64]).outputShape).toEqual([112, 112, 64]);
    expect(one('avgPool2d', { poolSize: 3 }, [9, 9, 4]).outputShape).toEqual([3, 3, 4]);
  });

  it('overlapping 3×3/2 pools (AlexNet): 55 → 27 → 13 → 6', () => {
    expect(one('maxPool2d', { poolSize: 3, strides: 2 }, [55, 55, 96]).outputShape).toEqual([27, 27, 96]);
    expect(one('maxPool2d', { poolSize: 3, strides: 2 }, [27, 27, 256]).outputShape).toEqual([13, 13, 256]);
    expect(one('maxPool2d', { poolSize: 3, strides: 2 }, [13, 13, 256]).outputShape).toEqual([6, 6, 256]);
  });

  // PyTorch's ceil_mode (GoogLeNet): out = ceil((in + 2p − k)/s) + 1, minus one if the last window starts in the padding.
  const ceilCases: [number, number, number, number, number][] = [
    [112, 3, 2, 0, 56],
    [56, 3, 2, 0, 28],
    [28, 3, 2, 0, 14],
    [14, 2, 2, 0, 7],
    [5, 2, 2, 1, 3], // ceil((5+2−2)/2)+1 = 4, but window 4 would start at 6 ≥ 5+1 → 3
    [6, 3, 2, 0, 3],
  ];
  it.each(ceilCases)('ceil mode: in %i, k %i, s %i, p %i → %i', (inp, k, s, p, out) => {
    const r = one('maxPool2d', { poolSize: k, strides: s, padding: p, ceilMode: true }, [inp, inp, 1]);
    expect(r.outputShape).toEqual([out, out, 1]);
  });

  it('a pool\'s label always shows its stride (its default is the window, not 1)', () => {
    const b = new DesignBuilder();
    b.input([28, 28, 8]);
    const summary = (params: Record<string, unknown>) => getLayerKind('maxPool2d')!.summary(validateParams(getLayerKind('maxPool2d')!.params, params).params!);
    expect(summary({ poolSize: 3, strides: 1, padding: 'same' })).toBe('maxpool 3×3 /1 same');
    expect(summary({ poolSize: 2 })).toBe('maxpool 2×2 /2');
    expect(summary({ poolSize: 3, strides: [1, 2] })).toBe('maxpool 3×3 /1×2');
  });

  it('pools have no parameters and no MACs', () => {
    const r = one('avgPool2d', { poolSize: 2 }, [8, 8, 8]);
    expect([r.params, r.macs]).toEqual([0, 0]);
  });

  it('global pooling gives [C] and ends the receptive field', () => {
    const r = one('globalAvgPool', {}, [7, 7, 2048]);
    expect(r.outputShape).toEqual([2048]);
    expect(r.receptiveField).toBeNull();
    expect(one('globalMaxPool', {}, [7, 7, 512]).outputShape).toEqual([512]);
  });
});

describe('dense and flatten', () => {
  it('flatten unrolls channels-last', () => {
    expect(one('flatten', {}, [7, 7, 512]).outputShape).toEqual([25_088]);
  });

  it('dense has N·units + units parameters and N·units MACs', () => {
    const r = one('dense', { units: 4096 }, [25_088]);
    expect(r.params).toBe(25_088 * 4096 + 4096);
    expect(r.macs).toBe(25_088 * 4096);
  });

  it('dense on a feature map says what to add', () => {
    expect(one('dense', { units: 10 }, [7, 7, 512]).errors[0]).toMatch(/needs a flat input \[N\], got a 7×7×512 feature map; add Flatten or Global average pool/);
  });
});

describe('shape-preserving kinds', () => {
  it.each([
    ['activation', { fn: 'relu' }],
    ['dropout', { rate: 0.3 }],
    ['lrn', {}],
    ['batchNorm', {}],
    ['scale', {}],
    ['layerNorm', {}],
  ])('%s keeps the shape', (kind, params) => {
    expect(one(kind, params, [13, 13, 256]).outputShape).toEqual([13, 13, 256]);
  });

  it('batch norm has 4·C parameters, 2·C of them not trained', () => {
    const r = one('batchNorm', {}, [56, 56, 64]);
    expect([r.params, r.trainableParams, r.nonTrainableParams, r.macs]).toEqual([256, 128, 128, 0]);
  });

  it('layer scale has C trainable factors, 0 MACs (docs/analysis.md#macs, as batch norm counts), and leaves the receptive field as it is', () => {
    const r = one('scale', { initValue: 1e-6 }, [56, 56, 96]);
    expect(r.outputShape).toEqual([56, 56, 96]);
    expect([r.params, r.trainableParams, r.nonTrainableParams, r.macs]).toEqual([96, 96, 0, 0]);
    expect(r.receptiveField).toEqual({ size: [1, 1], stride: [1, 1], padding: [0, 0] });
    // after a 3×3 conv the field is the conv's, unchanged by the scale
    const b = new DesignBuilder();
    b.input([9, 9, 2]);
    b.add('conv2d', { filters: 4, kernelSize: 3, strides: 2 }, 'in', 'c');
    b.add('scale', {}, 'c', 's');
    const rows = analyze(b.design()).nodes;
    expect(rows.find((n) => n.id === 's')!.receptiveField).toEqual(rows.find((n) => n.id === 'c')!.receptiveField);
  });

  it('layer scale on a flat vector [N] scales each of its N values', () => {
    const r = one('scale', {}, [10]);
    expect([r.outputShape, r.params, r.macs]).toEqual([[10], 10, 0]);
  });

  it('layer norm has 2·C trainable parameters (gamma, beta; no moving statistics), 0 MACs, and leaves the receptive field as it is', () => {
    // ConvNeXt-Tiny's first LayerNorm2d, after its 4×4 /4 stem on 224×224: 2·96 = 192 parameters
    const r = one('layerNorm', {}, [56, 56, 96]);
    expect(r.outputShape).toEqual([56, 56, 96]);
    expect([r.params, r.trainableParams, r.nonTrainableParams, r.macs]).toEqual([192, 192, 0, 0]);
    expect(r.receptiveField).toEqual({ size: [1, 1], stride: [1, 1], padding: [0, 0] });
    const b = new DesignBuilder();
    b.input([16, 16, 3]);
    b.add('conv2d', { filters: 8, kernelSize: 4, strides: 4 }, 'in', 'stem');
    b.add('layerNorm', {}, 'stem', 'ln');
    const rows = analyze(b.design()).nodes;
    expect(rows.find((n) => n.id === 'ln')!.receptiveField).toEqual(rows.find((n) => n.id === 'stem')!.receptiveField);
  });

  it('layer norm on a flat vector [N] normalizes its N values together: 2·N parameters', () => {
    const r = one('layerNorm', { epsilon: 1e-5 }, [768]);
    expect([r.outputShape, r.params, r.macs]).toEqual([[768], 1536, 0]);
  });

  it('layer norm explains its parameters and what it averages over, on an image and on a vector', () => {
    const kind = getLayerKind('layerNorm')!;
    const params = validateParams(kind.params, {}).params!;
    expect(kind.explain!({ params, inputs: [[56, 56, 96]], output: [56, 56, 96] })).toEqual([
      'params = 2·96 = 192  (gamma and beta per channel; no moving statistics)',
      'mean and variance (biased) over the 96 channels of each of the 3,136 pixels; y = gamma·(x − mean)/√(variance + 1e-6) + beta',
    ]);
    expect(kind.explain!({ params, inputs: [[768]], output: [768] })[1]).toMatch(/^mean and variance \(biased\) over all 768 values;/);
  });

  it('zero padding grows H and W and shifts the receptive field', () => {
    const r = one('zeroPad2d', { padding: [1, 2] }, [10, 10, 3]);
    expect(r.outputShape).toEqual([12, 14, 3]);
    expect(r.receptiveField).toEqual({ size: [1, 1], stride: [1, 1], padding: [1, 2] });
  });
});

describe('channelSlice and channelShuffle (ShuffleNet v2)', () => {
  // torchvision's shufflenet_v2_x1_0, stage 2 at 28×28: 116 channels, x.chunk(2, dim=1) gives 58 + 58
  it('a channel split of 116 channels is two slices of 58: 0 params, 0 MACs, the field as it was', () => {
    const b = new DesignBuilder();
    b.input([57, 57, 116]);
    b.add('conv2d', { filters: 116, kernelSize: 3, strides: 2 }, 'in', 'c');
    b.add('channelSlice', { size: 58 }, 'c', 'x1');
    b.add('channelSlice', { start: 58, size: 58 }, 'c', 'x2');
    const rows = analyze(b.design()).nodes;
    const row = (id: string) => rows.find((n) => n.id === id)!;
    for (const id of ['x1', 'x2']) {
      expect([row(id).outputShape, row(id).params, row(id).trainableParams, row(id).nonTrainableParams, row(id).macs]).toEqual([[28, 28, 58], 0, 0, 0, 0]);
      expect(row(id).receptiveField).toEqual(row('c').receptiveField);
    }
    expect(row('c').receptiveField).toEqual({ size: [3, 3], stride: [2, 2], padding: [0, 0] });
  });

  it('a slice that runs past the channels is an error naming its channels', () => {
    expect(one('channelSlice', { start: 60, size: 58 }, [28, 28, 116]).errors[0])
      .toMatch(/channels 60…117 run past its 116 input channels \(start \+ size = 118 > 116\)/);
    expect(one('channelSlice', { start: 115, size: 1 }, [28, 28, 116]).outputShape).toEqual([28, 28, 1]);
  });

  it('a shuffle keeps the shape, has 0 params and 0 MACs, and leaves the field as it was', () => {
    const r = one('channelShuffle', { groups: 2 }, [28, 28, 116]);
    expect([r.outputShape, r.params, r.macs]).toEqual([[28, 28, 116], 0, 0]);
    expect(r.receptiveField).toEqual({ size: [1, 1], stride: [1, 1], padding: [0, 0] });
  });

  it('groups that do not divide the channels are an error, as conv2d words it', () => {
    expect(one('channelShuffle', { groups: 3 }, [28, 28, 116]).errors[0]).toMatch(/groups 3 does not divide its 116 input channels/);
  });

  it('both take a flat vector [N]: a shuffle keeps [N], a slice gives [size]', () => {
    expect(one('channelShuffle', { groups: 5 }, [10]).outputShape).toEqual([10]);
    expect(one('channelSlice', { start: 3, size: 4 }, [10]).outputShape).toEqual([4]);
    expect(one('channelSlice', { start: 7, size: 4 }, [10]).errors[0]).toMatch(/channels 7…10 run past its 10 input channels/);
  });

  it('explain their arithmetic: the shuffle\'s channel rule with its numbers, the slice\'s channels', () => {
    const shuffle = getLayerKind('channelShuffle')!;
    const sp = validateParams(shuffle.params, { groups: 2 }).params!;
    expect(shuffle.explain!({ params: sp, inputs: [[28, 28, 116]], output: [28, 28, 116] }).slice(0, 2)).toEqual([
      'C = 116 = 2 groups × 58 channels',
      'output channel j·2 + i = input channel i·58 + j  (i < 2, j < 58)',
    ]);
    const slice = getLayerKind('channelSlice')!;
    const lp = validateParams(slice.params, { start: 58, size: 58 }).params!;
    expect(slice.explain!({ params: lp, inputs: [[28, 28, 116]], output: [28, 28, 58] })[0]).toBe('channels 58 … 58 + 58 − 1 = 115 of 116: C = 58');
  });
});

describe('add', () => {
  it('names every input that differs from the shape most inputs share', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 4]);
    const x = b.add('conv2d', { filters: 4, kernelSize: 1 });
    const y = b.add('conv2d', { filters: 8, kernelSize: 1 }, ['in']);
    const z = b.add('conv2d', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, ['in']);
    b.add('add', {}, ['in', x, y, z], 'sum');
    const a = analyze(b.design());
    expect(a.errors).toEqual([
      { nodeId: 'sum', message: 'inputs must have identical shapes, got 8×8×4, 8×8×4, 8×8×8 and 4×4×4 (inputs 3 and 4 differ)' },
    ]);
  });
});

describe('params', () => {
  it.each([
    [{ filters: 0, kernelSize: 3 }, /Filters must be from 1/],
    [{ filters: -4, kernelSize: 3 }, /Filters must be from 1/],
    [{ filters: 2.5, kernelSize: 3 }, /Filters must be a whole number, got 2.5/],
    [{ filters: 1e12, kernelSize: 3 }, /Filters must be from 1 to 1,048,576, got 1,000,000,000,000/],
    [{ filters: '64', kernelSize: 3 }, /Filters must be a whole number, got "64"/],
    [{ filters: 8, kernelSize: [3, 3, 3] }, /Kernel size must be a whole number or a pair/],
    [{ filters: 8, kernelSize: 3, padding: 'full' }, /Padding must be "valid", "same"/],
    [{ filters: 8, kernelSize: 3, activation: 'mish' }, /Activation must be one of linear, relu/],
    // a leaky ReLU is an activation layer of its own (its slope is that node's param), never fused into a conv
    [{ filters: 8, kernelSize: 3, activation: 'leakyRelu' }, /Activation must be one of linear, .*, gelu; got "leakyRelu"/],
    [{ filters: 8, kernelSize: 3, useBias: 'yes' }, /Use bias must be true or false/],
    [{ filters: 8, kernelSize: 3, kernel_size: 3 }, /unknown param "kernel_size"/],
    [{ filters: 8, kernelSize: Infinity }, /Kernel size must be a whole number/],
  ])('%j is refused', (params, message) => {
    const r = one('conv2d', params, [32, 32, 3]);
    expect(r.outputShape).toBeNull();
    expect(r.errors.join('\n')).toMatch(message);
  });

  it.each([
    ['conv2d', { kernelSize: 3 }, 'Filters is required'],
    ['conv2d', { filters: 8 }, 'Kernel size is required'],
    ['dense', {}, 'Units is required'],
    ['activation', {}, 'Function is required'],
    ['maxPool2d', {}, 'Pool size is required'],
    ['zeroPad2d', {}, 'Padding is required'],
  ])('%s without a value the contract gives no default for: %j → "%s"', (kind, params, message) => {
    const r = one(kind, params, kind === 'dense' ? [8] : [8, 8, 3]);
    expect(r.outputShape).toBeNull();
    expect(r.errors.join()).toContain(message);
  });

  it('fills the contract defaults', () => {
    const r = one('conv2d', { filters: 4, kernelSize: 3 }, [8, 8, 2]);
    expect(r.outputShape).toEqual([6, 6, 4]); // strides 1, padding valid, dilation 1
    expect(r.params).toBe(3 * 3 * 2 * 4 + 4); // useBias true
  });

  it('dropout rate must be below 1', () => {
    expect(one('dropout', { rate: 1 }, [4]).errors[0]).toMatch(/Rate must be from 0 below 1/);
  });
});
