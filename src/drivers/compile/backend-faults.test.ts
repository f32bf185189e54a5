/**
 * Faults where the analysis called a design valid and a backend could not run it, or ran it wrongly (issue 11 §3),
 * each as a kind, checked against a brute-force reference written here (not against Convas's own numbers).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, featureMapModel, tf } from './index.ts';
import { setupNodeBackend } from './node-backend.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

const BACKENDS = ['wasm', 'cpu'] as const;

/** Runs the compiled design (seed 1) on `x` [1, H, W, C]; every output, flattened. */
function run(design: Design, x: tf.Tensor): { outputs: Float32Array[]; kernel?: tf.Tensor } {
  const c = compileDesign(design, { seed: 1 });
  try {
    const raw = c.model.predict(x);
    const ys = Array.isArray(raw) ? raw : [raw];
    const outputs = ys.map((y) => Float32Array.from(y.dataSync() as Float32Array));
    tf.dispose(ys);
    return { outputs };
  } finally {
    c.model.dispose();
  }
}

/**
 * Brute-force depthwise/ordinary convolution, NHWC, batch 1, TensorFlow's 'same' rule written out here:
 * out = ⌈in / s⌉, total = max((out − 1)·s + d·(k − 1) + 1 − in, 0), ⌊total / 2⌋ before.
 * `kernel` is [kh, kw, Cin, M] (depthwise: M per channel; ordinary: Cin inputs → M filters).
 */
function bruteConv(x: Float32Array, [h, w, c]: number[], kernel: Float32Array, [kh, kw, , m]: number[],
  s: [number, number], d: [number, number], same: boolean, depthwise: boolean): Float32Array {
  const axis = (n: number, k: number, st: number, dil: number) => {
    const ext = dil * (k - 1) + 1;
    const out = same ? Math.ceil(n / st) : Math.floor((n - ext) / st) + 1;
    const total = same ? Math.max((out - 1) * st + ext - n, 0) : 0;
    return { out, before: Math.floor(total / 2) };
  };
  const H = axis(h, kh, s[0], d[0]);
  const W = axis(w, kw, s[1], d[1]);
  const cout = depthwise ? c * m : m;
  const y = new Float32Array(H.out * W.out * cout);
  for (let i = 0; i < H.out; i++) {
    for (let j = 0; j < W.out; j++) {
      for (let o = 0; o < cout; o++) {
        let sum = 0;
        for (let a = 0; a < kh; a++) {
          for (let b = 0; b < kw; b++) {
            const r = i * s[0] - H.before + a * d[0];
            const q = j * s[1] - W.before + b * d[1];
            if (r < 0 || r >= h || q < 0 || q >= w) continue;
            if (depthwise) {
              const ch = Math.floor(o / m);
              sum += x[(r * w + q) * c + ch] * kernel[((a * kw + b) * c + ch) * m + (o % m)];
            } else {
              for (let ch = 0; ch < c; ch++) sum += x[(r * w + q) * c + ch] * kernel[((a * kw + b) * c + ch) * m + o];
            }
          }
        }
        y[(i * W.out + j) * cout + o] = sum;
      }
    }
  }
  return y;
}

function expectClose(got: Float32Array, want: Float32Array, what: string) {
  expect(got.length, what).toBe(want.length);
  const worst = Math.max(0, ...Array.from(got, (v, i) => Math.abs(v - want[i])));
  expect(worst, what).toBeLessThan(1e-5);
}

describe('faults of the kind "valid in the analysis, wrong or refused in a backend"', () => {
  it('flatten of an already flat vector passes it through (after a global average or max pool, or flatten twice)', async () => {
    for (const backend of BACKENDS) {
      await setupNodeBackend(backend);
      const b = new DesignBuilder('flat flatten');
      b.input([3, 4, 2]);
      b.add('globalAvgPool', {}, 'in', 'gap');
      b.add('flatten', {}, 'gap', 'f1');
      b.add('globalMaxPool', {}, 'in', 'gmp');
      b.add('flatten', {}, 'gmp', 'f2');
      b.add('flatten', {}, 'f2', 'f3');
      const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i + 1));
      const x = tf.tensor4d(values, [1, 3, 4, 2]);
      const { outputs: [f1, f3] } = run(b.design(), x);
      x.dispose();
      const mean = [0, 1].map((ch) => values.filter((_, i) => i % 2 === ch).reduce((a, v) => a + v, 0) / 12);
      const max = [0, 1].map((ch) => Math.max(...values.filter((_, i) => i % 2 === ch)));
      expectClose(f1, Float32Array.from(mean), `${backend}: flatten(globalAvgPool)`);
      expectClose(f3, Float32Array.from(max), `${backend}: flatten(flatten(globalMaxPool))`);
    }
  });

  it('one tensor feeding a merge twice while it feeds another output runs (tfjs disposed it early), in the model and the feature maps', async () => {
    for (const backend of BACKENDS) {
      await setupNodeBackend(backend);
      const b = new DesignBuilder('x plus x');
      b.input([4, 4, 2]);
      b.add('conv2d', { filters: 2, kernelSize: 1 }, 'in', 'c');
      b.add('add', {}, ['c', 'c'], 'twice');
      b.add('concat', {}, ['c', 'c', 'twice'], 'cat');
      b.add('activation', { fn: 'linear' }, 'c', 'other');
      const x = tf.randomUniform([1, 4, 4, 2], -1, 1, 'float32', 5);
      const c = compileDesign(b.design(), { seed: 1 });
      for (let pass = 0; pass < 2; pass++) {
        const [cat, other] = (c.model.predict(x) as tf.Tensor[]).map((t) => {
          const v = Float32Array.from(t.dataSync() as Float32Array);
          t.dispose();
          return v;
        });
        const want = new Float32Array(16 * 6);
        for (let p = 0; p < 16; p++) {
          for (let ch = 0; ch < 2; ch++) {
            const v = other[p * 2 + ch];
            want[p * 6 + ch] = v;
            want[p * 6 + 2 + ch] = v;
            want[p * 6 + 4 + ch] = 2 * v;
          }
        }
        expectClose(cat, want, `${backend}, pass ${pass}: concat(c, c, c + c)`);
      }
      const fm = featureMapModel(c, 'twice').predict(x) as tf.Tensor;
      expect(fm.shape).toEqual([1, 4, 4, 2]);
      fm.dispose();
      x.dispose();
      c.model.dispose();
    }
    const dir = mkdtempSync(join(tmpdir(), 'convas-faults-'));
    const b = new DesignBuilder('x plus x');
    b.input([4, 4, 2]);
    b.add('conv2d', { filters: 2, kernelSize: 1 }, 'in', 'c');
    b.add('add', {}, ['c', 'c'], 'a');
    b.add('activation', { fn: 'relu' }, 'c', 'o2');
    writeFileSync(join(dir, 'd.json'), JSON.stringify(b.design()));
    const r = spawnSync('node', ['bin/convas.js', 'run', join(dir, 'd.json'), '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).outputs).toEqual({ a: [4, 4, 2], o2: [4, 4, 2] });
  });

  it("tfjs's depthwise convolution ignored its dilation: a dilated depthwise conv (and a grouped conv with groups = Cin) computes the dilated sum", async () => {
    for (const backend of BACKENDS) {
      await setupNodeBackend(backend);
      for (const [same, dil] of [[false, [2, 3]], [true, [2, 1]], [true, [1, 2]]] as [boolean, [number, number]][]) {
        const b = new DesignBuilder('dilated depthwise');
        b.input([7, 8, 2]);
        b.add('depthwiseConv2d', { kernelSize: [2, 3], dilation: dil, depthMultiplier: 2, padding: same ? 'same' : 'valid', useBias: false }, 'in', 'dw');
        b.add('conv2d', { filters: 4, groups: 2, kernelSize: [2, 3], dilation: dil, padding: same ? 'same' : 'valid', useBias: false }, 'in', 'grouped');
        const design = b.design();
        expect(analyze(design).valid).toBe(true);
        const x = tf.randomUniform([1, 7, 8, 2], -1, 1, 'float32', 9);
        const xv = Float32Array.from(x.dataSync() as Float32Array);
        const c = compileDesign(design, { seed: 1 });
        const [dw, grouped] = (c.model.predict(x) as tf.Tensor[]).map((t) => Float32Array.from(t.dataSync() as Float32Array));
        const kDw = Float32Array.from(c.model.getLayer('dw').getWeights()[0].dataSync() as Float32Array);
        const kG = Float32Array.from(c.model.getLayer('grouped').getWeights()[0].dataSync() as Float32Array);
        c.model.dispose();
        x.dispose();
        expectClose(dw, bruteConv(xv, [7, 8, 2], kDw, [2, 3, 2, 2], [1, 1], dil, same, true), `${backend}: depthwise ${same ? 'same' : 'valid'} dilation ${dil}`);
        expectClose(grouped, bruteConv(xv, [7, 8, 2], kG, [2, 3, 2, 2], [1, 1], dil, same, true), `${backend}: groups = Cin, dilation ${dil}`);
      }
    }
  });

  it('dilation together with stride (tfjs runs dilation only at stride 1): conv and depthwise conv compute the strided dilated sum', async () => {
    for (const backend of BACKENDS) {
      await setupNodeBackend(backend);
      for (const [same, dil, strides] of [[true, [2, 2], [2, 2]], [false, [1, 2], [2, 1]], [true, [3, 1], [2, 3]]] as [boolean, [number, number], [number, number]][]) {
        const b = new DesignBuilder('dilated and strided');
        b.input([11, 10, 2]);
        const padding = same ? 'same' : 'valid';
        b.add('conv2d', { filters: 3, kernelSize: [3, 2], dilation: dil, strides, padding, useBias: false }, 'in', 'conv');
        b.add('depthwiseConv2d', { kernelSize: [3, 2], dilation: dil, strides, padding, useBias: false }, 'in', 'dw');
        const design = b.design();
        const a = analyze(design);
        expect(a.valid).toBe(true);
        const x = tf.randomUniform([1, 11, 10, 2], -1, 1, 'float32', 5);
        const xv = Float32Array.from(x.dataSync() as Float32Array);
        const c = compileDesign(design, { seed: 1 });
        const ys = c.model.predict(x) as tf.Tensor[];
        expect(ys.map((y) => y.shape.slice(1))).toEqual(['conv', 'dw'].map((id) => a.nodes.find((n) => n.id === id)!.outputShape));
        const [conv, dw] = ys.map((t) => Float32Array.from(t.dataSync() as Float32Array));
        const kC = Float32Array.from(c.model.getLayer('conv').getWeights()[0].dataSync() as Float32Array);
        const kD = Float32Array.from(c.model.getLayer('dw').getWeights()[0].dataSync() as Float32Array);
        c.model.dispose();
        x.dispose();
        const what = `${backend}: ${padding}, dilation ${dil}, strides ${strides}`;
        expectClose(conv, bruteConv(xv, [11, 10, 2], kC, [3, 2, 2, 3], strides, dil, same, false), `conv ${what}`);
        expectClose(dw, bruteConv(xv, [11, 10, 2], kD, [3, 2, 2, 1], strides, dil, same, true), `depthwise ${what}`);
      }
    }
  });

  it("tfjs-wasm's 'same' padding was wrong where the TensorFlow rule's total padding is clamped at 0 (or uneven): convs and depthwise convs agree with the rule", async () => {
    const cases: { input: [number, number, number]; kernel: [number, number]; strides: [number, number] }[] = [
      { input: [4, 3, 2], kernel: [1, 2], strides: [2, 1] },
      { input: [6, 6, 1], kernel: [2, 1], strides: [1, 2] },
      { input: [5, 7, 2], kernel: [2, 3], strides: [3, 1] },
      { input: [8, 8, 2], kernel: [3, 3], strides: [2, 2] }, // even input, stride 2: pads 0 before, 1 after
      { input: [5, 5, 1], kernel: [1, 2], strides: [3, 3] }, // no padding at all: (2 − 1)·3 + k − 5 < 0 in both axes
      { input: [7, 5, 2], kernel: [3, 1], strides: [1, 3] }, // pads 1 and 1 in H; W's total (2 − 1)·3 + 1 − 5 < 0
    ];
    for (const backend of BACKENDS) {
      await setupNodeBackend(backend);
      for (const { input, kernel, strides } of cases) {
        const b = new DesignBuilder('uneven same');
        b.input(input);
        b.add('conv2d', { filters: 3, kernelSize: kernel, strides, padding: 'same', useBias: false }, 'in', 'conv');
        b.add('depthwiseConv2d', { kernelSize: kernel, strides, padding: 'same', useBias: false }, 'in', 'dw');
        const x = tf.randomUniform([1, ...input], -1, 1, 'float32', 3);
        const xv = Float32Array.from(x.dataSync() as Float32Array);
        const c = compileDesign(b.design(), { seed: 1 });
        const [conv, dw] = (c.model.predict(x) as tf.Tensor[]).map((t) => Float32Array.from(t.dataSync() as Float32Array));
        const kC = Float32Array.from(c.model.getLayer('conv').getWeights()[0].dataSync() as Float32Array);
        const kD = Float32Array.from(c.model.getLayer('dw').getWeights()[0].dataSync() as Float32Array);
        c.model.dispose();
        x.dispose();
        const what = `${backend}: in ${input}, kernel ${kernel}, strides ${strides}`;
        expectClose(conv, bruteConv(xv, input, kC, [...kernel, input[2], 3], strides, [1, 1], true, false), `${what}: conv`);
        expectClose(dw, bruteConv(xv, input, kD, [...kernel, input[2], 1], strides, [1, 1], true, true), `${what}: depthwise`);
      }
    }
  });

  it('separable convs (tfjs SeparableConv2D, with the padding and stride handling of every conv) compute depthwise then pointwise: uneven same, dilation with stride, depth multiplier', async () => {
    const cases: { input: [number, number, number]; kernel: [number, number]; strides: [number, number]; dil: [number, number]; dm: number; same: boolean }[] = [
      { input: [8, 8, 2], kernel: [3, 3], strides: [2, 2], dil: [1, 1], dm: 2, same: true }, // pads 0 before, 1 after
      { input: [5, 7, 3], kernel: [2, 3], strides: [3, 1], dil: [1, 1], dm: 1, same: true }, // H's total padding clamps at 0
      { input: [11, 10, 2], kernel: [3, 2], strides: [2, 3], dil: [2, 1], dm: 2, same: true }, // dilation with stride
      { input: [9, 9, 2], kernel: [2, 2], strides: [2, 2], dil: [2, 2], dm: 3, same: false },
    ];
    for (const backend of BACKENDS) {
      await setupNodeBackend(backend);
      for (const { input, kernel, strides, dil, dm, same } of cases) {
        const b = new DesignBuilder('separable');
        b.input(input);
        b.add('separableConv2d', { filters: 3, kernelSize: kernel, strides, dilation: dil, depthMultiplier: dm, padding: same ? 'same' : 'valid', useBias: false }, 'in', 'sep');
        const a = analyze(b.design());
        expect(a.valid).toBe(true);
        const x = tf.randomUniform([1, ...input], -1, 1, 'float32', 7);
        const xv = Float32Array.from(x.dataSync() as Float32Array);
        const c = compileDesign(b.design(), { seed: 1 });
        const y = c.model.predict(x) as tf.Tensor;
        expect(y.shape.slice(1)).toEqual(a.nodes.find((n) => n.id === 'sep')!.outputShape);
        const got = Float32Array.from(y.dataSync() as Float32Array);
        const [kD, kP] = c.model.getLayer('sep').getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
        c.model.dispose();
        tf.dispose([x, y]);
        const mid = bruteConv(xv, input, kD, [...kernel, input[2], dm], strides, dil, same, true);
        const [ho, wo] = y.shape.slice(1, 3) as number[];
        const want = bruteConv(mid, [ho, wo, input[2] * dm], kP, [1, 1, input[2] * dm, 3], [1, 1], [1, 1], false, false);
        expectClose(got, want, `${backend}: in ${input}, kernel ${kernel}, strides ${strides}, dilation ${dil}, dm ${dm}, ${same ? 'same' : 'valid'}`);
      }
    }
  });
});
