/** `convas summary`'s table says where a field is larger than the input (docs/receptive-field.md#fields-larger-than-the-input). */

import { describe, expect, it } from 'vitest';
import { analysisReport, analyze, FIELD_LARGER_THAN_INPUT } from '../../engine/index.ts';
import { stridesOverKernels } from '../../../test/fixtures/strides-over-kernels.ts';
import { renderTable } from './summary.ts';

describe('summary: fields larger than the input', () => {
  it("convas summary's table marks the field and says why under the table", () => {
    const d = stridesOverKernels();
    const a = analyze(d);
    const text = renderTable(analysisReport(d, a));
    expect(text).toContain('62×57 /90×72 *');
    expect(text).toContain(`* receptive field ${FIELD_LARGER_THAN_INPUT}`);
    expect(FIELD_LARGER_THAN_INPUT).toBe('larger than the input: units near the border see less');
  });

  it('a design whose fields fit its input has no mark and no footnote', () => {
    const d = stridesOverKernels();
    d.nodes = d.nodes.filter((n) => n.id !== 'c3');
    d.edges = d.edges.filter((e) => e.target !== 'c3');
    const text = renderTable(analysisReport(d, analyze(d)));
    expect(text).not.toContain(FIELD_LARGER_THAN_INPUT);
  });
});
