#!/usr/bin/env node
// Runs the browser tests with the system Chromium (Playwright's own browsers are never downloaded).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}.`);
  console.error('Install it with:  apt-get update && apt-get install -y chromium');
  console.error('or point CHROMIUM_PATH at a Chromium or Chrome binary:  CHROMIUM_PATH=/path/to/chrome npm run test:e2e');
  process.exit(1);
}
const child = spawn('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (e) => {
  console.error(`could not start Playwright: ${e.message}`);
  process.exit(1);
});
