/** Node only: picks the tfjs backend. `wasm` loads its binaries from node_modules (about 35× the `cpu` speed). */

import { createRequire } from 'node:module';
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
