/**
 * Tests that need Python packages (PyTorch, ONNX): one rule for all of them. Where the packages import, the test
 * runs. Where they do not: in CI (`CI` set) the test FAILS, naming what is missing, so CI can never pass without
 * the checks; locally it is skipped, and a banner on stderr says so.
 */

import { spawnSync } from 'node:child_process';
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
