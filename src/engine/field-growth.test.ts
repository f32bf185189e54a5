/**
 * The chain of fields against hand-worked recursions (Araujo et al., Distill 2019: r_l = r_{l−1} + (k_l − 1)·j_{l−1})
 * and VGG-16's published fields (conv3_3 40, conv4_3 92, conv5_3 196, pool5 212: Araujo et al.'s table).
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { analyze } from './analyze.ts';
import { fieldGrowth } from './field-growth.ts';
import type { Design, NodeAnalysis } from '../contract/types.ts';

const byId = (d: Design) => Object.fromEntries(analyze(d).nodes.map((n) => [n.id, n])) as Record<string, NodeAnalysis>;

describe('fieldGrowth', () => {
  it('a chain of 3×3 convolutions grows by 2 a layer, then by 2·stride after a stride', () => {
    const b = new DesignBuilder();
    b.input([64, 64, 1]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, undefined, 'c1');
    b.add('batchNorm', {}, undefined, 'bn');
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, undefined, 'c2');
    b.add('maxPool2d', { poolSize: 2, strides: 2 }, undefined, 'p');
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, undefined, 'c3');
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same', dilation: 2 }, undefined, 'c4');
    const steps = fieldGrowth(byId(b.design()), 'c4');
    // by hand: 1 → 3 → 5 → 5 + (2−1)·1 = 6 (jump 2) → 6 + 2·2 = 10 → 10 + (5−1)·2 = 18
    expect(steps.map((s) => s.nodeId)).toEqual(['in', 'c1', 'c2', 'p', 'c3', 'c4']);
    expect(steps.map((s) => s.field.size[0])).toEqual([1, 3, 5, 6, 10, 18]);
    expect(steps.map((s) => s.field.stride[0])).toEqual([1, 1, 1, 2, 2, 2]);
    expect(steps.map((s) => s.kernel[0])).toEqual([1, 3, 3, 2, 3, 5]);
    expect(steps.map((s) => s.ownStride[0])).toEqual([1, 1, 1, 2, 1, 1]);
    expect(steps[3].before).toEqual({ size: [5, 5], stride: [1, 1] });
  });

  it('VGG-16: the published fields of conv3_3, conv4_3, conv5_3 and pool5', () => {
    const vgg = JSON.parse(readFileSync('presets/vgg16.convas.json', 'utf8')) as Design;
    const nodes = byId(vgg);
    const last = (id: string) => fieldGrowth(nodes, id).at(-1)!.field.size[0];
    expect([last('block3_conv3'), last('block4_conv3'), last('block5_conv3'), last('block5_pool')]).toEqual([40, 92, 196, 212]);
    const steps = fieldGrowth(nodes, 'block2_conv1');
    expect(steps.map((s) => `${s.field.size[0]}/${s.field.stride[0]}`)).toEqual(['1/1', '3/1', '5/1', '6/2', '10/2']);
  });

  it('follows the branch with the largest field where paths merge (a residual add)', () => {
    const b = new DesignBuilder();
    b.input([32, 32, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, undefined, 'c1');
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'c1', 'c2');
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'c2', 'c3');
    b.add('add', {}, ['c1', 'c3'], 'sum');
    expect(fieldGrowth(byId(b.design()), 'sum').map((s) => s.nodeId)).toEqual(['in', 'c1', 'c2', 'c3']);
  });

  it('is empty after global pooling or for an unknown node', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, undefined, 'c');
    b.add('globalAvgPool', {}, undefined, 'g');
    const nodes = byId(b.design());
    expect(nodes.g.outputShape).toEqual([4]);
    expect(fieldGrowth(nodes, 'g')).toEqual([]);
    expect(fieldGrowth(nodes, 'nope')).toEqual([]);
  });
});
