/** What the Playwright benchmarks share: the Chromium to drive, its flags, and a `vite preview` server to serve a build. */

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function checkChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
}

export async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start at ${url}`);
}

/** `vite preview` on `port` (extra arguments such as `--config …` go first); `stop()` ends it and its children. */
export function startPreview(port: number, extra: string[] = []): { server: ChildProcess; stop: () => void } {
  const server = spawn('npx', ['vite', 'preview', ...extra, '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  return {
    server,
    stop: () => {
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch { /* already gone */ }
    },
  };
}
