import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const convas = (args: string[]) => {
  const r = spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
};

describe('convas COMMAND --help', () => {
  it.each(['summary', 'diff', 'run', 'export', 'import'])('%s --help prints its usage, with no "unknown option", and succeeds', (command) => {
    const r = convas([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^usage:\\n  convas ${command} `));
    expect(r.stdout).not.toContain('unknown option');
    // only that command's lines
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  convas ')).every((l) => l.startsWith(`  convas ${command} `))).toBe(true);
  });

  it('export -h lists every export format', () => {
    expect(convas(['export', '-h']).stdout).toMatch(/--to pytorch[\s\S]*--to onnx[\s\S]*--to tfjs[\s\S]*--to svg[\s\S]*--to png/);
  });
});
