/**
 * Opening an ONNX model (onnx-open.ts), the steps the open worker takes, on the models e2e/fixtures holds (written by
 * PyTorch: make_onnx_fixtures.py): the design with its names, groups and weights by node id, the refusals one line
 * per node, and the size limit checked before a byte is read.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine/index.ts';
import { openFileOffThread } from './open-client.ts';
import { loadOnnxFile, MAX_ONNX_BYTES } from './onnx-open.ts';

const fixture = (name: string) => new File([readFileSync(`e2e/fixtures/${name}`)], name);

describe('opening an ONNX model', () => {
  it('gives the design named after the file, its groups, and every weight by node id', async () => {
    const stages: string[] = [];
    const r = await loadOnnxFile(fixture('tiny-resnet.onnx'), (stage) => stages.push(stage));
    if (!r.ok) throw new Error(r.error);
    expect(r.design.name).toBe('tiny-resnet');
    expect(r.design.groups?.map((g) => g.id)).toEqual(['layer1.0', 'layer1.1']);
    expect(stages[0]).toBe('reading');
    expect(stages[stages.length - 1]).toBe('importing');
    // PyTorch's count with batch norm folded into the convolutions: 224 + 4 × 584 + 90
    expect(analyze(r.design).totals.params).toBe(2650);
    let numbers = 0;
    for (const w of r.weights!.byNode.values()) for (const t of Object.values(w)) numbers += t!.data.length;
    expect(numbers).toBe(2650);
    expect(r.weights!.source).toBe('tiny-resnet.onnx');
    expect(r.weights!.byNode.get('layer1.0.conv1')!.kernel!.shape).toEqual([3, 3, 8, 8]);
  });

  it('refuses a model with an operator Convas has no kind for, one line per node', async () => {
    expect(await loadOnnxFile(fixture('cumsum.onnx'))).toEqual({
      ok: false,
      error: 'cumsum.onnx: 1 node Convas cannot express; nothing was opened',
      refusals: ['/CumSum (CumSum): Convas has no kind for this operator'],
    });
  });

  it('refuses bytes that are no ONNX model, and a file over the limit before reading it', async () => {
    const r = await loadOnnxFile(new File(['{"format": "convas.design"}'], 'not.onnx'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^not\.onnx: /);
    const huge = { name: 'huge.onnx', size: MAX_ONNX_BYTES + 1 } as File;
    expect(await loadOnnxFile(huge)).toEqual({ ok: false, error: 'huge.onnx is 1024 MB; the editor opens ONNX models up to 1024 MB (use `convas import` for larger ones)' });
  });

  it('is what Open does with an .onnx file (off the page thread where workers exist)', async () => {
    const r = await openFileOffThread(fixture('tiny-resnet.onnx'), () => {}).result;
    expect(r?.ok && r.weights?.byNode.size).toBe(6);
  });
});
