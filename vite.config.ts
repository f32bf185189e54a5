import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { tfjsWasmThreads } from './scripts/vite-tfjs-wasm-threads.ts';

// Cross-origin isolation lets the tfjs wasm backend use threads (SharedArrayBuffer); a static host must send the
// same two headers (docs/run-threads.md).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), tfjsWasmThreads()],
  // the run worker's pthreads need the plugin's fix in the worker bundle too
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  server: { port: 5173, headers: isolation },
  preview: { port: 4173, headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
