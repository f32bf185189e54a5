/**
 * The benchmark page for `npm run bench -- browser-forward` (bench/browser-forward.ts): bundled apart from the
 * app into `dist-bench/`, served by `vite preview --config bench/browser/vite.config.ts` on port 4181.
 */

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { tfjsWasmThreads } from '../../scripts/vite-tfjs-wasm-threads.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The same headers as the app (vite.config.ts), so the page runs tfjs under the same conditions.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: here('.'),
  publicDir: false,
  plugins: [tfjsWasmThreads()],
  preview: { port: 4181, strictPort: true, headers: isolation },
  build: {
    target: 'es2022',
    outDir: here('../../dist-bench'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    rolldownOptions: { input: here('forward.html') },
  },
});
