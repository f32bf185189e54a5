/**
 * The params totals in the order a student reads them (docs/analysis.md#the-headline-count). Papers and
 * torchvision quote the trainable count (DenseNet-121: 7,978,856); Keras's `model.summary()` and tfjs's
 * `countParams()` lead with a total that also holds batch norm's moving mean and variance (8,062,504). Where a
 * design has such statistics, the totals panel and `convas summary` lead with the trainable count and say in the
 * same place what the statistics add; where it has none the two counts are one and the total leads, as before.
 * Only the words and their order live here; the numbers are the analysis' `totals`, and `--json` is unchanged.
 */

import { formatInt, formatWeightBytes } from '../contract/format.ts';
import type { Analysis } from '../contract/types.ts';

/** One line of the params totals: which count, its label, the count and its size, and what it means where that needs saying. */
export interface ParamTotalLine {
  count: 'trainable' | 'nonTrainable' | 'total';
  /** `Trainable params: 7,978,856 (30.44 MB)`: the words tests and people read the number in */
  text: string;
  /** what the line means beside the other two, where the design has batch-norm statistics; else undefined */
  note?: string;
}

/**
 * The three params lines in reading order: trainable, the statistics, then the total where non-trainable
 * parameters exist (only batch norm's moving mean and variance are: docs/analysis.md#nodes); total, trainable,
 * non-trainable where they do not.
 *
 * @example paramTotalLines(analyze(densenet121).totals)[0].text // "Trainable params: 7,978,856 (31.92 MB)"
 */
export function paramTotalLines(t: Pick<Analysis['totals'], 'params' | 'trainableParams' | 'nonTrainableParams'>): ParamTotalLine[] {
  const line = (count: ParamTotalLine['count'], label: string, n: number, note?: string): ParamTotalLine =>
    ({ count, text: `${label}: ${formatInt(n)} (${formatWeightBytes(n)})`, ...(note ? { note } : {}) });
  if (t.nonTrainableParams === 0) {
    return [line('total', 'Total params', t.params), line('trainable', 'Trainable params', t.trainableParams), line('nonTrainable', 'Non-trainable params', 0)];
  }
  return [
    line('trainable', 'Trainable params', t.trainableParams, 'the count papers and torchvision quote'),
    line('nonTrainable', 'Non-trainable params', t.nonTrainableParams, 'batch-norm statistics (moving mean and variance), averaged, not trained'),
    line('total', 'Total params', t.params, "Keras's total: trainable + statistics"),
  ];
}
