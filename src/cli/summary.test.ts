import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesignBuilder, vgg16 } from '../core/testing/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-cli-'));
const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

/** Runs `convas` in a shell pipe (`| cat`), the way it is used, and returns stdout, stderr and the exit code. */
function convas(args: string[]) {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `set -o pipefail; node bin/convas.js ${quoted} | cat`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe('convas summary', () => {
  const vgg = file('vgg16.convas.json', vgg16());

  it('opens a hand-written design whose edges have no ids (contract §1)', () => {
    const noIds = file('no-ids.convas.json', '{"format":"convas.design","version":1,"nodes":[{"id":"in","kind":"input","params":{"shape":[8,8,3]}},{"id":"c","kind":"conv2d","params":{"filters":4,"kernelSize":3}}],"edges":[{"source":"in","target":"c"}]}');
    const { stdout, code } = convas(['summary', noIds, '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(stdout);
    expect(a.totals.params).toBe(112);
    expect(a.nodes.map((n: { inputs: string[] }) => n.inputs)).toEqual([[], ['in']]);
  });

  it('prints a Keras-like table with totals and float32 size', () => {
    const { stdout, code } = convas(['summary', vgg]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/block1_conv1\s+conv2d\s+224×224×64\s+1,792\s+86,704,128\s+3×3 \/1/);
    expect(stdout).toMatch(/block5_pool\s+maxPool2d\s+7×7×512\s+0\s+0\s+212×212 \/32/);
    expect(stdout).toContain('Total params: 138,357,544 (527.79 MB)');
    expect(stdout).toContain('Non-trainable params: 0');
    expect(stdout).toContain('Total MACs: 15,470,264,320');
  });

  it('--json prints the contract analysis', () => {
    const { stdout, code } = convas(['summary', vgg, '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(stdout);
    expect(a.totals).toEqual({ params: 138_357_544, trainableParams: 138_357_544, nonTrainableParams: 0, macs: 15_470_264_320 });
    expect(a.nodes).toHaveLength(23);
  });

  it('exit 1 for an invalid design, still printing the analysis and its errors', () => {
    const b = new DesignBuilder('broken');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 9 }, 'in', 'big');
    const p = file('broken.json', b.design());
    const table = convas(['summary', p]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain("conv2d 'big': kernel 9×9 is larger than its 8×8 input (padding 0)");
    expect(table.stdout).toMatch(/big\s+conv2d\s+\?\s+\?\s+\?/);
    const json = convas(['summary', p, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).valid).toBe(false);
  });

  it.each([
    ['missing file', join(dir, 'nope.json'), /cannot read .*nope\.json: no such file/],
    ['a directory', dir, /it is a directory/],
    ['not JSON', 'garbage.json', /not valid JSON/],
    ['not a design', 'other.json', /"format" must be "convas.design"/],
  ])('exit 2 with one line on stderr for %s', (_what, target, message) => {
    const p = target === 'garbage.json' ? file('garbage.json', '{nope') : target === 'other.json' ? file('other.json', { hello: 1 }) : target;
    const { stdout, stderr, code } = convas(['summary', p]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('usage errors are exit 2', () => {
    expect(convas(['summary']).code).toBe(2);
    expect(convas(['summary', vgg, '--frobnicate']).code).toBe(2);
    expect(convas(['explode']).code).toBe(2);
  });

  it('writes a multi-megabyte --json through a pipe without cutting it at 64 KiB', () => {
    const b = new DesignBuilder('long chain');
    b.input([32, 32, 16]);
    for (let i = 0; i < 6000; i++) b.add(i % 2 ? 'activation' : 'conv2d', i % 2 ? { fn: 'relu' } : { filters: 16, kernelSize: 3, padding: 'same' });
    const p = file('big.json', b.design());
    const out = execFileSync('bash', ['-c', `node bin/convas.js summary '${p}' --json | cat`], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(out.length).toBeGreaterThan(2_000_000);
    const a = JSON.parse(out);
    expect(a.nodes).toHaveLength(6001);
    expect(a.totals.params).toBe(3000 * (9 * 16 * 16 + 16));
  });
});
