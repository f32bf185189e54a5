/** Node only: picks the tfjs backend. `wasm` loads its binaries from node_modules (about 35× the `cpu` speed). */

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type NodeBackend = 'wasm' | 'cpu';

/** Sets the backend and waits until it is ready; throws when it cannot start. */
export async function setupNodeBackend(name: NodeBackend = 'wasm'): Promise<string> {
  // Production mode: no debug checks, and no "install tfjs-node" banner from the cpu backend on stderr.
  tf.enableProdMode();
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
  }
  if (tf.getBackend() !== name || !tf.findBackend(name)) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`the tfjs ${name} backend could not start`);
  }
  await tf.ready();
  return tf.getBackend();
}

/** A kernel the backend could not set up: its outputs would be garbage, so the run fails. */
export class KernelError extends Error {}

const XNN_STATUS: Record<string, string> = {
  1: 'not initialized', 2: 'invalid parameter', 3: 'invalid state', 4: 'unsupported parameter',
  5: 'unsupported hardware', 6: 'out of memory',
};

/**
 * Runs `fn` (a forward pass and the reads of its outputs) and fails it with a `KernelError` when tfjs's wasm
 * backend reports that XNNPACK could not create or set up a kernel. The backend only prints that
 * (`XNN status for xnn_setup_convolution2d_nhwc_f32 is not successful. Got status 6.` on stderr) and carries on
 * with uninitialised outputs: a 63×63 'same' conv on 1024×1024×64 exited 0 with garbage. The message is caught
 * where the backend writes it in Node (`fs.writeSync` to fd 2, `console.warn`, `process.stderr.write`) and not
 * printed raw. (A test runner that replaces the console, or a browser, prints it beyond reach: there the memory
 * estimate, which counts XNNPACK's indirection buffer, refuses such a kernel first.)
 */
export async function failOnKernelErrors<T>(fn: () => Promise<T>): Promise<T> {
  const failures: string[] = [];
  const catchXnn = (text: unknown) => {
    const m = /XNN status for (\w+) is not successful\. Got status (\d+)/.exec(String(text));
    if (m) failures.push(`${m[1]} failed (${XNN_STATUS[m[2]] ?? `status ${m[2]}`})`);
    return !!m;
  };
  // The two writers, seen through loosened types to be swapped for a while: the module's `writeSync` is read-only
  // to TypeScript, and both have overloads a single replacement function does not match.
  const fsWriter = fs as unknown as { writeSync(fd: number, data: unknown, ...rest: unknown[]): number };
  const stderrWriter = process.stderr as unknown as { write(chunk: unknown, ...rest: unknown[]): boolean };
  const writeSync = fs.writeSync;
  const warn = console.warn;
  const stderrWrite = process.stderr.write;
  fsWriter.writeSync = (fd, data, ...rest) => {
    if (fd === 2 && catchXnn(data)) return String(data).length;
    return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  };
  console.warn = (...args: unknown[]) => {
    if (!catchXnn(args.join(' '))) warn(...args);
  };
  // A console.warn bound before this ran still ends in process.stderr.write.
  stderrWriter.write = (chunk, ...rest) => {
    if (catchXnn(chunk)) return true;
    return (stderrWrite as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  };
  try {
    const result = await fn();
    if (failures.length) {
      throw new KernelError(
        `tfjs's XNNPACK could not set up a kernel: ${[...new Set(failures)].join('; ')}; its outputs would be garbage `
        + '(a very large kernel on a large image needs one pointer per output pixel and kernel tap)',
      );
    }
    return result;
  } finally {
    fsWriter.writeSync = writeSync;
    console.warn = warn;
    process.stderr.write = stderrWrite;
  }
}
