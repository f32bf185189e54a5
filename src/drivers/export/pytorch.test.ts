import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Design, type Shape } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { pythonClassName, pythonModuleName, pyName } from '../../engine/names.ts';
import { toPyTorch } from './pytorch.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';

const nchw = (s: Shape) => (s.length === 3 ? [s[2], s[0], s[1]] : s);

describe('PyTorch export', () => {
  it('names attributes and classes as Python allows', () => {
    expect(pyName('layer1.0.conv1')).toBe('layer1_0_conv1');
    expect(pyName('features.0')).toBe('features_0');
    expect(pyName('0')).toBe('l_0');
    expect(pyName('class')).toBe('class_');
    expect(pythonClassName('ResNet-18 (torchvision)')).toBe('ResNet18Torchvision');
    expect(pythonClassName('1×1 bottleneck')).toBe('Net11Bottleneck');
    expect(pythonModuleName('my inception 3a')).toBe('my_inception_3a');
    expect(pythonModuleName('ResNet-18 (torchvision)')).toBe('resnet_18_torchvision');
    expect(pythonModuleName('3a')).toBe('net_3a');
    expect(pythonModuleName('class')).toBe('class_');
    expect(pythonModuleName('×')).toBe('convas_model');
  });

  itWithPython(['torch'], 'the file name imports in Python and the class is CamelCase', () => {
    const b = new DesignBuilder('my inception 3a');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 1 });
    const d = b.design();
    const dir = mkdtempSync(join(tmpdir(), 'convas-pyname-'));
    const mod = pythonModuleName(d.name);
    writeFileSync(join(dir, `${mod}.py`), toPyTorch(d, analyze(d)));
    const out = execFileSync(PYTHON, ['-c', `import ${mod}, torch; m = ${mod}.${pythonClassName(d.name)}(); print(type(m).__name__, tuple(m(torch.zeros(1, 3, 8, 8)).shape))`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('MyInception3a (1, 4, 8, 8)');
  });

  it('refuses a design with errors', () => {
    const b = new DesignBuilder();
    b.input([4, 4, 3]);
    b.add('conv2d', { filters: 2, kernelSize: 9 });
    expect(() => toPyTorch(b.design())).toThrow(/kernel 9×9 is larger/);
  });

  it("writes asymmetric 'same' padding as F.pad, −∞ for max pools, and flattens channels-last", () => {
    const b = new DesignBuilder();
    b.input([32, 32, 3]);
    b.add('conv2d', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, 'in', 'c');
    b.add('maxPool2d', { poolSize: 2, strides: 2, padding: 'same' }, 'c', 'p');
    b.add('maxPool2d', { poolSize: 3, strides: 2, padding: 'same' }, 'p', 'p2');
    b.add('flatten', {}, 'p2', 'f');
    b.add('dense', { units: 10, activation: 'softmax' }, 'f', 'fc');
    const py = toPyTorch(b.design());
    expect(py).toContain('self.c = nn.Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(0, 0))');
    expect(py).toContain('x_c = self.c(F.pad(x_in_, (0, 1, 0, 1)))'); // `in` is a Python keyword
    expect(py).toContain("x_p2 = self.p2(F.pad(x_p, (0, 1, 0, 1), value=float('-inf')))");
    expect(py).toContain('x_f = x_p2.permute(0, 2, 3, 1).flatten(1)');
    expect(py).toContain('x_fc = F.softmax(x_fc, dim=1)');
  });

  itWithPython(['torch'], 'every preset: parameters, batch-norm statistics and output shapes agree with the analysis in real PyTorch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-torch-'));
    const manifest = readdirSync('presets').filter((f) => f.endsWith('.convas.json')).map((f) => {
      const design = JSON.parse(readFileSync(join('presets', f), 'utf8')) as Design;
      const a = analyze(design);
      const file = join(dir, f.replace('.convas.json', '.py').replace(/-/g, '_'));
      writeFileSync(file, toPyTorch(design, a));
      const hasOut = new Set(design.edges.map((e) => e.source));
      return {
        file,
        inputs: design.nodes.filter((n) => n.kind === 'input').map((n) => nchw(a.nodes.find((x) => x.id === n.id)!.outputShape!)),
        trainable: a.totals.trainableParams,
        nonTrainable: a.totals.nonTrainableParams,
        outputs: design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => nchw(a.nodes.find((x) => x.id === n.id)!.outputShape!)),
      };
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    let out: string;
    try {
      out = execFileSync(PYTHON, ['scripts/check_torch.py', join(dir, 'manifest.json')], { encoding: 'utf8', timeout: 170_000 });
    } catch (e) {
      out = (e as { stdout?: string }).stdout ?? String(e);
    }
    const results = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(results).toHaveLength(manifest.length);
    for (const [i, r] of results.entries()) {
      expect({ file: r.file, params: r.params, buffers: r.buffers, shapes: r.shapes }).toEqual({
        file: manifest[i].file, params: manifest[i].trainable, buffers: manifest[i].nonTrainable, shapes: manifest[i].outputs,
      });
    }
  }, 180_000);
});

describe('convas export', () => {
  const run = (args: string[]) => spawnSync('node', ['bin/convas.js', 'export', ...args], { encoding: 'utf8' });

  it('writes model.py for a preset and says so on stderr', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'convas-export-')), 'model.py');
    const r = run(['presets/resnet18.convas.json', '--to', 'pytorch', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`wrote ${out}`);
    const py = readFileSync(out, 'utf8');
    expect(py).toContain('class ResNet18Torchvision(nn.Module):');
    expect(py).toContain('self.layer1_0_conv1 = nn.Conv2d(64, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)');
    expect(py).toContain('momentum=0.1');
  });

  it('exit 1 for a design with errors, 2 for an unknown format or an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-export-'));
    const b = new DesignBuilder();
    b.input([4, 4, 3]);
    b.add('conv2d', { filters: 2, kernelSize: 9 });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(b.design()));
    expect(run([join(dir, 'bad.json'), '--to', 'pytorch', '--out', join(dir, 'm.py')]).status).toBe(1);
    const unknown = run(['presets/vgg16.convas.json', '--to', 'caffe', '--out', join(dir, 'm')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--to must be one of: pytorch');
    expect(run([join(dir, 'missing.json'), '--to', 'pytorch', '--out', join(dir, 'm.py')]).status).toBe(2);
  });
});
