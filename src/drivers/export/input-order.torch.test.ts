import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { analyze } from '../../engine/index.ts';
import { moveInput } from '../../engine/input-order.ts';
import { pythonClassName, pythonModuleName, pythonNames } from '../../engine/names.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { toPyTorch } from './pytorch.ts';

describe("a merge's input order, as PyTorch runs the export", () => {
  itWithPython(['torch'], "a concat's channels follow the order the inspector sets", () => {
    const b = new DesignBuilder('reordered concat');
    b.input([6, 6, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 1 }, 'in', 'a');
    b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'in', 'b');
    b.add('concat', {}, ['a', 'b'], 'cat');
    const d = moveInput(b.design(), 'cat', 1, 0);
    const names = pythonNames(d);
    const dir = mkdtempSync(join(tmpdir(), 'convas-order-'));
    const mod = pythonModuleName(d.name);
    writeFileSync(join(dir, `${mod}.py`), toPyTorch(d, analyze(d)));
    // the model's output against its own branches run by hand: b's 8 channels first, then a's 4
    const script = [
      'import torch',
      `import ${mod} as M`,
      'torch.manual_seed(0)',
      `m = M.${pythonClassName(d.name)}().eval()`,
      'x = torch.randn(1, 3, 6, 6)',
      'with torch.no_grad():',
      '    y = m(x)',
      `    a = getattr(m, '${names.get('a')}')(x)`,
      `    b = getattr(m, '${names.get('b')}')(x)`,
      'print(tuple(y.shape), torch.equal(y[:, :8], b), torch.equal(y[:, 8:], a))',
    ].join('\n');
    const out = execFileSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('(1, 12, 6, 6) True True');
  }, 60_000);
});
