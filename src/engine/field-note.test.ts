/**
 * Fields larger than the input (docs/receptive-field.md#fields-larger-than-the-input): the case, a design whose
 * strides exceed its kernels (google-research/receptive_field#6), reports 62×57 on a 23×17 input, and only the
 * fields taller or wider than the input are marked (the summary table's footnote: src/app/cli/field-note.test.ts).
 */

import { describe, expect, it } from 'vitest';
import { stridesOverKernels } from '../../test/fixtures/strides-over-kernels.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { analyze } from './analyze.ts';
import { fieldLargerThanInput } from './field-note.ts';

describe('fields larger than the input', () => {
  it("the issue's case: 62×57 on 23×17 (1 + Σ (k − 1)·(product of earlier strides) per axis), marked; smaller fields not", () => {
    const a = analyze(stridesOverKernels());
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    // by hand: h 1 + 1 + 0·3 + 4·15 = 62; w 1 + 0 + 4·2 + 4·12 = 57
    expect(row('c3').receptiveField!.size).toEqual([62, 57]);
    expect(row('c2').receptiveField!.size).toEqual([2, 9]);
    expect(['in', 'c1', 'c2', 'c3'].map((id) => fieldLargerThanInput(row(id), a.nodes))).toEqual([false, false, false, true]);
  });

  it('a field larger along one axis only is marked; one equal to the input is not', () => {
    const b = new DesignBuilder('one axis');
    b.input([9, 30, 3]);
    b.add('conv2d', { filters: 2, kernelSize: [9, 3] }, 'in', 'equal');
    b.add('conv2d', { filters: 2, kernelSize: [3, 3], padding: 'same' }, 'equal', 'taller');
    const a = analyze(b.design());
    expect(a.nodes.map((n) => fieldLargerThanInput(n, a.nodes))).toEqual([false, false, true]);
  });

});
