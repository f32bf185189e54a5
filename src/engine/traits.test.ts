import { describe, expect, it } from 'vitest';
import { validateParams } from '../contract/params.ts';
import { getLayerKind, hasBiasParam, isInputKind, KIND_NAMES } from './registry.ts';

/** The kinds for which `pick` holds, in registry order. */
const kindsWhere = (pick: (name: string) => boolean) => KIND_NAMES.filter(pick);

describe('traits of the kinds (what used to be name checks)', () => {
  it('add sums its inputs, concat stacks them, multiply gates them; no other kind merges', () => {
    expect(kindsWhere((k) => getLayerKind(k)!.merge === 'sum')).toEqual(['add']);
    expect(kindsWhere((k) => getLayerKind(k)!.merge === 'concat')).toEqual(['concat']);
    expect(kindsWhere((k) => getLayerKind(k)!.merge === 'product')).toEqual(['multiply']);
    // a merge is exactly a kind that takes several inputs
    expect(kindsWhere((k) => getLayerKind(k)!.merge !== undefined)).toEqual(kindsWhere((k) => getLayerKind(k)!.arity.max > 1));
  });

  it('the advice rules walk through batchNorm, activation and dropout, the three the rules name (docs/advice.md#pass-through-layers), and no other', () => {
    expect(kindsWhere((k) => getLayerKind(k)!.passThrough === true).sort()).toEqual(['activation', 'batchNorm', 'dropout']);
  });

  it('the kinds with a bias switch are the three of advice rule 4 (docs/advice.md#rules), and separableConv2d and conv2dTranspose (added since: their bias too is cancelled by a batch norm)', () => {
    expect(kindsWhere(hasBiasParam).sort()).toEqual(['conv2d', 'conv2dTranspose', 'dense', 'depthwiseConv2d', 'separableConv2d']);
    expect(hasBiasParam('no such kind')).toBe(false);
  });

  it('input is the one kind that takes no inputs', () => {
    expect(kindsWhere(isInputKind)).toEqual(['input']);
    expect(isInputKind('no such kind')).toBe(false);
  });

  it('dense is the kind that takes a flat vector only', () => {
    expect(kindsWhere((k) => getLayerKind(k)!.flatInput === true)).toEqual(['dense']);
  });

  it("reads the output's last function from the params: a conv's or dense's activation, an activation's fn", () => {
    const last = (kind: string, params: Record<string, unknown>) => {
      const k = getLayerKind(kind)!;
      return k.outputActivation?.(validateParams(k.params, params).params!);
    };
    expect(last('dense', { units: 10, activation: 'softmax' })).toBe('softmax');
    expect(last('dense', { units: 10 })).toBe('linear');
    expect(last('conv2d', { filters: 8, kernelSize: 3, activation: 'relu' })).toBe('relu');
    expect(last('depthwiseConv2d', { kernelSize: 3, activation: 'relu6' })).toBe('relu6');
    expect(last('activation', { fn: 'softmax' })).toBe('softmax');
    expect(last('flatten', {})).toBeUndefined();
  });

  it("conv2d offers a 1×1 palette entry; palette keys stay unique", () => {
    expect(getLayerKind('conv2d')!.paletteVariants?.map((v) => [v.key, v.params])).toEqual([['conv2d-1x1', { kernelSize: 1 }]]);
    const keys = [...KIND_NAMES, ...KIND_NAMES.flatMap((k) => (getLayerKind(k)!.paletteVariants ?? []).map((v) => v.key))];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
