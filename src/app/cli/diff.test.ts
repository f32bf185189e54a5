import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vgg16 } from '../../../test/fixtures/build.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import type { Design } from '../../engine/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-diff-'));
const file = (name: string, d: Design) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(d));
  return p;
};

function convas(args: string[]) {
  const r = spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** VGG-16 with its classifier (flatten, fc1, fc2) replaced by a global average pool feeding `predictions`. */
function vggGlobalPool(): Design {
  const d = vgg16();
  d.name = 'VGG-16, global pool';
  const gone = new Set(['flatten', 'fc1', 'fc2']);
  d.nodes = d.nodes.filter((n) => !gone.has(n.id));
  const at = d.nodes.findIndex((n) => n.id === 'predictions');
  d.nodes.splice(at, 0, { id: 'gap', kind: 'globalAvgPool', params: {} });
  d.edges = d.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
  d.edges.push({ id: 'g1', source: 'block5_pool', target: 'gap' }, { id: 'g2', source: 'gap', target: 'predictions' });
  return d;
}

/** VGG-16 with block1_conv2's filters 64 → 32. */
function vggNarrow(): Design {
  const d = vgg16();
  d.name = 'VGG-16, narrow';
  const n = d.nodes.find((x) => x.id === 'block1_conv2')!;
  n.params = { ...n.params, filters: 32 };
  return d;
}

// By hand: a conv's params are k·k·Cin·Cout + Cout, its MACs H·W·Cout·k·k·Cin; a dense layer's in·out + out and in·out.
const FC1 = { params: 25088 * 4096 + 4096, macs: 25088 * 4096 }; // 102,764,544
const FC2 = { params: 4096 * 4096 + 4096, macs: 4096 * 4096 }; // 16,781,312
const PRED_BEFORE = { params: 4096 * 1000 + 1000, macs: 4096 * 1000 };
const PRED_AFTER = { params: 512 * 1000 + 1000, macs: 512 * 1000 };
const VGG = { params: 138357544, macs: 15470264320 }; // Keras's and torchvision's published totals

describe('convas diff says what changed', () => {
  const base = file('vgg16.convas.json', vgg16());
  const gap = file('vgg16-gap.convas.json', vggGlobalPool());
  const narrow = file('vgg16-narrow.convas.json', vggNarrow());

  it('--json keeps the contract fields and adds each layer\'s old and new figures and each side\'s totals', () => {
    const { stdout, code } = convas(['diff', base, gap, '--json']);
    expect(code).toBe(0);
    const d = JSON.parse(stdout);
    const after = VGG.params - FC1.params - FC2.params - PRED_BEFORE.params + PRED_AFTER.params;
    expect(after).toBe(14714688 + 513000); // the 13 convs' 14,714,688 and the new head (the PyTorch check below agrees)
    expect(d.totals).toEqual({ params: after - VGG.params, trainableParams: after - VGG.params, nonTrainableParams: 0, macs: -(FC1.macs + FC2.macs + PRED_BEFORE.macs - PRED_AFTER.macs) });
    expect(d.totalsBefore).toEqual({ params: VGG.params, trainableParams: VGG.params, nonTrainableParams: 0, macs: VGG.macs });
    expect(d.totalsAfter.params).toBe(after);
    const byId = new Map(d.nodes.map((n: { id: string }) => [n.id, n]));
    expect(d.nodes.map((n: { id: string; change: string }) => `${n.id} ${n.change}`)).toEqual(['gap added', 'predictions changed', 'flatten removed', 'fc1 removed', 'fc2 removed']);
    expect(byId.get('predictions')).toEqual({
      id: 'predictions', change: 'changed', params: PRED_AFTER.params - PRED_BEFORE.params, macs: PRED_AFTER.macs - PRED_BEFORE.macs, outputShape: [1000],
      before: { kind: 'dense', ...PRED_BEFORE, outputShape: [1000], receptiveField: null },
      after: { kind: 'dense', ...PRED_AFTER, outputShape: [1000], receptiveField: null },
      settings: [],
    });
    expect(byId.get('fc1')).toMatchObject({ change: 'removed', params: -FC1.params, macs: -FC1.macs, outputShape: null, before: { kind: 'dense', ...FC1, outputShape: [4096] }, after: null });
    expect(byId.get('gap')).toMatchObject({ change: 'added', params: 0, outputShape: [512], before: null, after: { kind: 'globalAvgPool', params: 0, outputShape: [512] } });
  });

  it('a conv\'s filters changed: its settings old → new, and the shapes and counts downstream that follow', () => {
    const d = JSON.parse(convas(['diff', base, narrow, '--json']).stdout);
    const conv2 = { before: 3 * 3 * 64 * 64 + 64, after: 3 * 3 * 64 * 32 + 32 };
    const block2 = { before: 3 * 3 * 64 * 128 + 128, after: 3 * 3 * 32 * 128 + 128 };
    expect(d.nodes.map((n: { id: string }) => n.id)).toEqual(['block1_conv2', 'block1_pool', 'block2_conv1']);
    const [c, p, b] = d.nodes;
    expect(c.settings).toEqual([{ name: 'filters', label: 'Filters', before: 64, after: 32 }]);
    expect(c.before).toMatchObject({ params: conv2.before, macs: 224 * 224 * 64 * 9 * 64, outputShape: [224, 224, 64] });
    expect(c.after).toMatchObject({ params: conv2.after, macs: 224 * 224 * 32 * 9 * 64, outputShape: [224, 224, 32] });
    expect(c.after.receptiveField.size).toEqual([5, 5]);
    expect(p).toMatchObject({ change: 'changed', params: 0, macs: 0, outputShape: [112, 112, 32], settings: [] });
    expect(b).toMatchObject({ params: block2.after - block2.before, macs: 112 * 112 * 128 * 9 * (32 - 64), settings: [] });
    expect(d.totals.params).toBe(conv2.after - conv2.before + block2.after - block2.before);
  });

  it('the table shows old → new for each changed figure, the settings, and the totals old → new (change)', () => {
    const { stdout, code } = convas(['diff', base, narrow]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/block1_conv2\s+conv2d\s+changed\s+36,928 → 18,464\s+−18,464\s+1,849,688,064 → 924,844,032\s+−924,844,032\s+224×224×64 → 224×224×32\s+5×5\n/);
    expect(stdout).toMatch(/block1_pool\s+maxPool2d\s+changed\s+0\s+0\s+0\s+0\s+112×112×64 → 112×112×32\s+6×6\n/);
    expect(stdout).toContain('Settings changed:\n  block1_conv2: Filters 64 → 32\n');
    expect(stdout).toContain(`Total params: 138,357,544 → 138,302,216 (−55,328)`);
    const g = convas(['diff', base, gap]).stdout;
    expect(g).toMatch(/fc1\s+dense\s+removed\s+102,764,544\s+−102,764,544\s+102,760,448\s+−102,760,448\s+4096\s+—/);
    expect(g).toMatch(/gap\s+globalAvgPool\s+added\s+0\s+0\s+0\s+0\s+512\s+—/);
    expect(g).toMatch(/predictions\s+dense\s+changed\s+4,097,000 → 513,000\s+−3,584,000/);
    expect(g).toContain('Total params: 138,357,544 → 15,227,688 (−123,129,856)');
    expect(g).not.toContain('Settings changed');
  });

  it('a kind change shows the kind old → new in the Kind column', () => {
    const d = vgg16();
    d.nodes = d.nodes.map((n) => (n.id === 'block1_pool' ? { ...n, kind: 'avgPool2d' } : n));
    const out = convas(['diff', base, file('vgg16-avg.convas.json', d)]).stdout;
    expect(out).toMatch(/block1_pool\s+maxPool2d → avgPool2d\s+changed/);
  });

  itWithPython(['torch', 'torchvision'], 'the counts on each side agree with PyTorch (torchvision VGG-16, and with its classifier replaced by a global pool)', () => {
    const before = JSON.parse(convas(['diff', base, gap, '--json']).stdout);
    const py = `
import torch, torchvision, json
m = torchvision.models.vgg16()
n = lambda mod: sum(p.numel() for p in mod.parameters())
total = n(m)
fc = [n(m.classifier[i]) for i in (0, 3, 6)]
m.avgpool = torch.nn.AdaptiveAvgPool2d(1)
m.classifier = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(512, 1000))
print(json.dumps({'before': total, 'fc': fc, 'after': n(m), 'head': n(m.classifier[1])}))
`;
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const t = JSON.parse(r.stdout);
    expect(before.totalsBefore.params).toBe(t.before);
    expect(before.totalsAfter.params).toBe(t.after);
    const byId = new Map(before.nodes.map((n: { id: string; before: { params: number } | null; after: { params: number } | null }) => [n.id, n]));
    expect([byId.get('fc1'), byId.get('fc2')].map((n) => (n as { before: { params: number } }).before.params)).toEqual(t.fc.slice(0, 2));
    expect((byId.get('predictions') as { before: { params: number }; after: { params: number } }).before.params).toBe(t.fc[2]);
    expect((byId.get('predictions') as { after: { params: number } }).after.params).toBe(t.head);
  }, 120_000);
});
