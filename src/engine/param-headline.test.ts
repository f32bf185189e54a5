import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, type Design } from './index.ts';
import { paramTotalLines } from './param-headline.ts';

const preset = (file: string) => analyze(JSON.parse(readFileSync(`presets/${file}`, 'utf8')) as Design).totals;

describe('the params headline', () => {
  it("DenseNet-121 leads with torchvision's 7,978,856 and says its statistics make Keras's 8,062,504", () => {
    // torchvision's densenet121: 7,978,856 parameters; Keras's DenseNet121 summary: Total params 8,062,504
    const lines = paramTotalLines(preset('densenet121.convas.json'));
    expect(lines.map((l) => l.count)).toEqual(['trainable', 'nonTrainable', 'total']);
    expect(lines[0].text).toBe('Trainable params: 7,978,856 (31.92 MB)');
    expect(lines[0].note).toContain('papers and torchvision');
    // 8,062,504 − 7,978,856 = 83,648 = 2 · 41,824 batch-norm channels (moving mean and variance)
    expect(lines[1].text).toMatch(/^Non-trainable params: 83,648 /);
    expect(lines[1].note).toContain('batch-norm statistics');
    expect(lines[2].text).toMatch(/^Total params: 8,062,504 /);
    expect(lines[2].note).toContain("Keras's total");
  });

  it('a design without batch norm keeps the total first, its three lines without notes', () => {
    // VGG-16: 138,357,544 in Keras and torchvision alike
    const lines = paramTotalLines(preset('vgg16.convas.json'));
    expect(lines.map((l) => l.text)).toEqual(['Total params: 138,357,544 (553.43 MB)', 'Trainable params: 138,357,544 (553.43 MB)', 'Non-trainable params: 0 (0 B)']);
    expect(lines.every((l) => l.note === undefined)).toBe(true);
  });
});
