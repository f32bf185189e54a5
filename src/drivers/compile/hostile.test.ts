/**
 * Hostile input to `convas run`, `export` and the compiler (issue 15): each test feeds it and checks the clear
 * outcome (exit code, one readable line, nothing raw on the terminal, nothing dropped).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../../engine/index.ts';
import { compileDesign, CompileError, MAX_TFJS_DEPTH, tf } from './index.ts';
import { setupNodeBackend } from './node-backend.ts';
import { imageSize } from './node-image.ts';
import { resizeRgba, rgbaToChannels } from './image-fit.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-hostile-'));
chmodSync(dir, 0o777);
const file = (name: string, content: string | Buffer | object) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  chmodSync(p, 0o666);
  return p;
};
function convas(args: string[], opts: { asNobody?: boolean } = {}) {
  const cmd = opts.asNobody ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', 'bin/convas.js', ...args]] as const
    : ['node', ['bin/convas.js', ...args]] as const;
  const r = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}
const design = (name: string, nodes: Design['nodes'], edges: Design['edges']): Design => ({ format: 'convas.design', version: 1, name, nodes, edges });
const chain = (n: number, kind = 'activation', params: Record<string, unknown> = { fn: 'relu' }, shape = [8]) => {
  const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape } }];
  const edges: Design['edges'] = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, kind, params });
    edges.push({ id: `e${i}`, source: i === 1 ? 'in' : `n${i - 1}`, target: `n${i}` });
  }
  return design('chain', nodes, edges);
};
// eslint-disable-next-line no-control-regex -- the control characters are what this test looks for
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/; // any control character but the newline

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

describe('ids that are Object.prototype names', () => {
  it('run keeps an output called __proto__ beside constructor and toString', () => {
    const d = design('proto', [
      { id: 'in', kind: 'input', params: { shape: [4] } },
      { id: '__proto__', kind: 'dense', params: { units: 2 } },
      { id: 'constructor', kind: 'dense', params: { units: 3 } },
      { id: 'toString', kind: 'dense', params: { units: 5 } },
    ], [{ id: 'a', source: 'in', target: '__proto__' }, { id: 'b', source: 'in', target: 'constructor' }, { id: 'c', source: 'in', target: 'toString' }]);
    const r = convas(['run', file('proto.json', d), '--backend', 'cpu', '--json']);
    expect(r.code).toBe(0);
    const outputs = JSON.parse(r.stdout).outputs;
    expect(Object.keys(outputs)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(outputs, '__proto__')!.value).toEqual([2]);
    const text = convas(['run', join(dir, 'proto.json'), '--backend', 'cpu']);
    expect(text.stdout).toMatch(/^ {2}__proto__: \[2\] {2}min /m);
  });
});

describe('what the CLI prints', () => {
  const evil = '\u001b]0;pwned\u0007\u001b[2J\u009b31m';
  it('names, kinds and messages print with their control characters escaped (stdout and stderr)', () => {
    const f = file('esc.json', design(`x${evil}`, [
      { id: 'in', kind: 'input', params: { shape: [4] }, name: `n${evil}\nfake line` },
      { id: 'x', kind: `k${evil}`, params: {} },
    ], [{ id: 'a', source: 'in', target: 'x' }]));
    const s = convas(['summary', f]);
    expect(s.code).toBe(1);
    expect(s.stdout).not.toMatch(RAW_CONTROL);
    expect(s.stdout).toContain('Design: x\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m');
    expect(s.stdout).toContain('n\\x1b]0;pwned');
    expect(s.stdout).not.toContain('\nfake line');
    const j = convas(['summary', f, '--json']);
    expect(j.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(j.stdout).name).toBe(`x${evil}`); // the JSON still holds the exact name
    const run = convas(['run', f]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr).toContain('unknown kind "k\\x1b]0;pwned');
    const svg = convas(['export', f, '--to', 'svg', '--out', join(dir, 'esc.svg')]);
    expect(svg.stderr).not.toMatch(RAW_CONTROL);
  });

  it('a parse error quotes the file escaped', () => {
    const r = convas(['summary', file('bad.json', '{"format":"convas.design","nodes":[\u001b[2J]}')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('\\x1b');
  });

  it('a UTF-8 BOM before the design is fine', () => {
    const r = convas(['summary', file('bom.json', `\ufeff${JSON.stringify(chain(2))}`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Design: chain');
  });

  it('--json=false is a usage error, not JSON', () => {
    const r = convas(['summary', file('two.json', chain(2)), '--json=false']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--json takes no value');
  });

  it('export --seed "" is refused exactly as run refuses it', () => {
    const f = file('two.json', chain(2));
    const e = convas(['export', f, '--to', 'pytorch', '--out', join(dir, 'x.py'), '--seed', '']);
    const r = convas(['run', f, '--seed', '']);
    expect(e.code).toBe(2);
    expect(r.code).toBe(2);
    const first = (s: string) => s.split('\n')[0];
    expect(first(e.stderr)).toBe('convas: --seed must be a whole number, got ""');
    expect(first(r.stderr)).toBe(first(e.stderr));
    expect(existsSync(join(dir, 'x.py'))).toBe(false);
    expect(convas(['export', f, '--to', 'pytorch', '--out', join(dir, 'x.py'), '--seed', '1e3']).code).toBe(2);
  });

  it('run on an empty design says there is nothing to run', () => {
    const r = convas(['run', file('empty.json', design('empty', [], []))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the design is empty: add an input layer');
    expect(r.stderr).not.toContain('reading');
  });

  // As root, permissions do not stop a write: the CLI then runs as nobody (setpriv), where setpriv exists.
  const noUser = !process.getuid || (process.getuid() === 0 && spawnSync('setpriv', ['--version']).status !== 0);
  it.skipIf(noUser)(
    '--to tfjs into a read-only folder names the folder that is not writable', () => {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      const f = file('two.json', chain(2));
      const asNobody = process.getuid?.() === 0;
      for (const out of [ro, join(ro, 'sub', 'deeper')]) {
        const r = convas(['export', f, '--to', 'tfjs', '--out', out], { asNobody });
        expect(r.code).toBe(2);
        expect(r.stderr.trim()).toBe(`convas: cannot write ${out}: permission denied (${ro} is not writable)`);
      }
      const under = convas(['export', f, '--to', 'tfjs', '--out', join(f, 'x')]);
      expect(under.stderr.trim()).toBe(`convas: cannot write ${join(f, 'x')}: ${f} is a file, not a folder`);
    });
});

describe('deep designs in tfjs', () => {
  it(`a chain longer than ${MAX_TFJS_DEPTH} layers is refused before tfjs sees it, with the limit stated`, () => {
    const r = convas(['run', file('chain5k.json', chain(5000)), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the longest path from an input is 5,000 layers');
    expect(r.stderr).toContain('at most 2,000 layers in a row');
    expect(r.stderr).not.toContain('Maximum call stack');
  });

  it('helper layers count: 1,001 convs with explicit padding are 2,001 tfjs layers in a row, refused', () => {
    const d = chain(1001, 'conv2d', { filters: 1, kernelSize: 3, padding: 1 }, [4, 4, 1]);
    let err: unknown;
    try {
      compileDesign(d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toContain('is 2,001 tfjs layers (helper layers for padding and groups included)');
  });

  it('a chain of exactly the limit compiles and runs', () => {
    const c = compileDesign(chain(MAX_TFJS_DEPTH));
    const y = c.model.predict(tf.ones([1, 8])) as tf.Tensor;
    expect(y.shape).toEqual([1, 8]);
    tf.dispose(y);
    c.model.dispose();
  });

  it('grouped convolutions count by path, not by how many layers they add', () => {
    // 35 convs of 32 groups: 65 tfjs layers each (2,275 in all), but 3 on any one path (slice, conv, concat)
    const d = chain(36, 'conv2d', { filters: 64, kernelSize: 1, groups: 32 }, [2, 2, 64]);
    expect(() => compileDesign(d).model.dispose()).not.toThrow();
  });
});

describe('--image guards', () => {
  it('reads the size from PNG and JPEG headers', () => {
    const png = new PNG({ width: 37, height: 23 });
    expect(imageSize(PNG.sync.write(png))).toEqual({ width: 37, height: 23 });
    const j = jpeg.encode({ data: Buffer.alloc(41 * 19 * 4, 128), width: 41, height: 19 }, 80).data;
    expect(imageSize(j)).toEqual({ width: 41, height: 19 });
    expect(imageSize(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it('resizes as tf.image.resizeBilinear with half-pixel centres does (TensorFlow 2\'s rule; RGB, grey, RGBA)', () => {
    const w = 37, h = 23;
    const data = new Uint8Array(w * h * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
    for (const c of [3, 1, 4] as const) {
      const ours = rgbaToChannels(resizeRgba(data, w, h, 16, 20), c);
      const ref = tf.tidy(() => {
        let x = tf.tensor3d(data, [h, w, 4], 'int32').toFloat() as tf.Tensor3D;
        if (c !== 4) x = x.slice([0, 0, 0], [h, w, 3]);
        if (c === 1) x = x.mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(2, true);
        return tf.image.resizeBilinear(x, [16, 20], false, true).div(255).dataSync() as Float32Array;
      });
      expect(ours.length).toBe(ref.length);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('a 16,000×16,000 PNG (under 1 MB) is refused from its header, quickly and in little memory', () => {
    const big = join(dir, 'big.png');
    // zlib-compressed zero rows, streamed: 768 MB of pixels in about 750 KB
    const py = spawnSync('python3', ['-c', `
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
w = h = 16000
c = zlib.compressobj(9); row = b'\\0' * (w * 3 + 1)
body = b''.join([c.compress(row) for _ in range(h)] + [c.flush()])
open(${JSON.stringify(big)}, 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', body) + chunk(b'IEND', b''))
`]);
    expect(py.status).toBe(0);
    const t0 = Date.now();
    const r = spawnSync('/usr/bin/time', ['-f', 'peak %M KB', 'node', 'bin/convas.js', 'run', file('img.json', chain(2, 'globalAvgPool', {}, [32, 32, 3])), '--image', big], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the image is 16000×16000 (256.0 megapixels), above the 50-megapixel limit');
    const peakKb = Number(/peak (\d+) KB/.exec(r.stderr)?.[1] ?? 0);
    console.log(`16,000×16,000 PNG refused in ${Date.now() - t0} ms, peak ${Math.round(peakKb / 1024)} MiB`);
    if (peakKb) expect(peakKb).toBeLessThan(600 * 1024);
  }, 120_000);
});
