import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { formatBytes, formatSignedBytes, formatSignedInt } from '../contract/format.ts';
import { isBatchSize, memoryTotals, outputBytes } from './memory.ts';
import { analysisReport } from './report.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

/** in 8×8×3 → conv 3×3 same (4 filters, bias) → batchNorm → relu → flatten → dense 10 */
function small() {
  const b = new DesignBuilder('small');
  b.input([8, 8, 3]);
  b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'c');
  b.add('batchNorm', {}, 'c', 'bn');
  b.add('activation', { fn: 'relu' }, 'bn', 'r');
  b.add('flatten', {}, 'r', 'f');
  b.add('dense', { units: 10 }, 'f', 'd');
  return b.design();
}

describe('memory (docs/advice.md#memory)', () => {
  it('outputBytes is 4 · batch · elements, 0 for an unknown shape', () => {
    expect(outputBytes({ outputShape: [56, 56, 64] }, 1)).toBe(4 * 56 * 56 * 64);
    expect(outputBytes({ outputShape: [1000] }, 32)).toBe(4 * 32 * 1000);
    expect(outputBytes({ outputShape: null }, 8)).toBe(0);
  });

  it.each([1, 2, 7])('hand-computed totals at batch %i', (batch) => {
    const a = analyze(small());
    const m = memoryTotals(a, batch);
    // params: conv 3·3·3·4 + 4 = 112; bn 4·4 = 16 (8 trainable, 8 not); dense 256·10 + 10 = 2570
    const params = 112 + 16 + 2570;
    const trainable = 112 + 8 + 2570;
    const input = 4 * batch * 8 * 8 * 3;
    // nodes with parameters: conv (8·8·4), bn (8·8·4), dense (10); relu and flatten have none
    const fb = 2 * 4 * batch * (256 + 256 + 10);
    expect(m).toEqual({
      batch, inputBytes: input, paramBytes: 4 * params, forwardBackwardBytes: fb,
      estimatedTotalBytes: input + 4 * params + fb, trainingBytes: input + 4 * params + fb + 12 * trainable,
    });
  });

  it('rejects a batch that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 60]) {
      expect(isBatchSize(bad)).toBe(false);
      expect(() => memoryTotals(analyze(small()), bad)).toThrow(/positive whole number/);
    }
    expect(isBatchSize(64)).toBe(true);
  });

  it('the report keeps every analysis field and adds outputBytes, totals.memory and advice', () => {
    const d = small();
    const a = analyze(d);
    const r = analysisReport(d, a, 2);
    expect(r.totals).toMatchObject(a.totals);
    expect(r.totals.memory.batch).toBe(2);
    r.nodes.forEach((n, i) => {
      expect(n).toMatchObject(a.nodes[i]);
      expect(n.outputBytes).toBe(n.outputShape ? 2 * 4 * n.outputShape.reduce((x, y) => x * y, 1) : 0);
    });
    expect(Array.isArray(r.advice)).toBe(true);
    expect(Object.keys(r)).toEqual([...Object.keys(a), 'advice']);
  });

  it('formats bytes in torchinfo units', () => {
    expect(formatBytes(39_747_392)).toBe('39.75 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(10_845_370_000_000)).toBe('10.85 TB');
    expect(formatBytes(2_322_776_512)).toBe('2.32 GB');
    expect([formatSignedInt(-28_608), formatSignedInt(28_608), formatSignedInt(0)]).toEqual(['−28,608', '+28,608', '0']);
    expect(formatSignedBytes(-1_605_632)).toBe('−1.61 MB');
  });
});
