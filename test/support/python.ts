/**
 * Tests that need Python packages (PyTorch, ONNX): one rule for all of them. Where the packages import, the test
 * runs. Where they do not: in CI (`CI` set) the test FAILS, naming what is missing, so CI can never pass without
 * the checks; locally it is skipped, and a banner on stderr says so.
 */

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';

/** The Python with PyTorch, torchvision and onnx (Debian's python3-* packages); `CONVAS_TORCH_PYTHON` overrides it. */
export const PYTHON = process.env.CONVAS_TORCH_PYTHON ?? '/usr/bin/python3';

const cache = new Map<string, string | null>();

/** null when `PYTHON` imports every module, else why not (the modules and Python's last error line). */
export function pythonMissing(modules: string[]): string | null {
  const key = modules.join(',');
  if (!cache.has(key)) {
    const r = spawnSync(PYTHON, ['-c', `import ${key}`], { encoding: 'utf8' });
    const why = r.error ? r.error.message : r.stderr.trim().split('\n').pop() ?? '';
    cache.set(key, r.status === 0 ? null : `${PYTHON} cannot import ${modules.join(', ')} (${why}); install python3-torch, python3-onnx (.ci/run does)`);
  }
  return cache.get(key)!;
}

/**
 * `it` for a test that needs `modules` in Python: runs it, fails it in CI when they are missing, or skips it
 * loudly elsewhere.
 * @example itWithPython(['torch', 'numpy'], 'agrees with PyTorch', () => { ... }, 60_000)
 */
export function itWithPython(modules: string[], name: string, fn: () => void | Promise<void>, timeout?: number): void {
  const missing = pythonMissing(modules);
  if (!missing) {
    it(name, fn, timeout);
  } else if (process.env.CI) {
    it(name, () => {
      throw new Error(`CI must run this check, but ${missing}`);
    });
  } else {
    process.stderr.write(`\n${'*'.repeat(100)}\n*** SKIPPING "${name}":\n*** ${missing}.\n*** In CI (CI set) this is a failure.\n${'*'.repeat(100)}\n\n`);
    it.skip(name, fn);
  }
}

/** One design for scripts/check_torch_weights.py: its module, weights manifest, and the tfjs inputs and outputs. */
export interface TorchCase {
  file: string;
  weights: string;
  inputs: { file: string; shape: number[] }[];
  outputs: { file: string; shape: number[] }[];
}

/**
 * Writes one case for scripts/check_torch_weights.py into `dir`: the PyTorch module as `<module>.py` (a name
 * Python imports), its packed weights as `binName` with the manifest beside the module, and each tfjs input and
 * output as raw float32 (NHWC) named after `key`.
 */
export function writeTorchCase(
  dir: string, key: string, module: string, py: string, weights: { data: Uint8Array; manifest: unknown }, binName: string,
  inputs: { shape: number[]; data: Float32Array }[], outputs: { shape: number[]; data: Float32Array }[],
): TorchCase {
  const stem = join(dir, module);
  writeFileSync(`${stem}.py`, py);
  writeFileSync(join(dir, binName), weights.data);
  writeFileSync(`${stem}.weights.json`, JSON.stringify(weights.manifest));
  const save = (t: { shape: number[]; data: Float32Array }, name: string) => {
    writeFileSync(join(dir, name), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return { file: join(dir, name), shape: t.shape };
  };
  return {
    file: `${stem}.py`, weights: `${stem}.weights.json`,
    inputs: inputs.map((x, i) => save(x, `${key}.in${i}.f32`)), outputs: outputs.map((y, i) => save(y, `${key}.out${i}.f32`)),
  };
}
