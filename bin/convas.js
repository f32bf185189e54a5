#!/usr/bin/env node
// The `convas` command. The CLI is TypeScript; tsx compiles it on the fly so that it works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
