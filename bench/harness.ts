/** Measuring: warm-up, several runs, median and spread; results carry their target so the report can say met or not. */

export interface BenchResult {
  name: string;
  unit: 'ms' | 'ratio' | 'MB' | 'KB';
  /** every measured run */
  runs: number[];
  median: number;
  /** 10th and 90th percentile of the runs */
  spread: [number, number];
  /** e.g. `< 5 ms`; `met` says whether the median is inside it */
  target?: string;
  met?: boolean;
  note?: string;
}

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Summarises raw runs against an upper bound. */
export function summarize(name: string, runs: number[], unit: BenchResult['unit'], max?: number, note?: string): BenchResult {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const r: BenchResult = { name, unit, runs, median, spread: [quantile(sorted, 0.1), quantile(sorted, 0.9)] };
  if (max !== undefined) {
    r.target = `< ${max} ${unit === 'ratio' ? '' : unit}`.trim();
    r.met = median < max;
  }
  if (note) r.note = note;
  return r;
}

/** Times `fn` (ms) over `runs` runs after `warmup` unmeasured ones. */
export async function time(fn: () => unknown, runs: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Times `a` and `b` (ms) side by side: `warmup` unmeasured runs of each, then `pairs` pairs, alternating which
 * of the two goes first so that machine noise hits both alike. `ratios` are a / b per pair.
 * No Node imports here: the browser benchmark page uses it too.
 */
export async function sideBySide(a: () => unknown, b: () => unknown, pairs: number, warmup = 2): Promise<{ a: number[]; b: number[]; ratios: number[] }> {
  await time(a, 0, warmup);
  await time(b, 0, warmup);
  const out = { a: [] as number[], b: [] as number[], ratios: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    const aFirst = i % 2 === 0;
    const [t0] = await time(aFirst ? a : b, 1, 0);
    const [t1] = await time(aFirst ? b : a, 1, 0);
    const [ta, tb] = aFirst ? [t0, t1] : [t1, t0];
    out.a.push(ta);
    out.b.push(tb);
    out.ratios.push(ta / tb);
  }
  return out;
}
