// The editor's Open reads a tfjs model.json / Keras topology as a design (loadFile in src/app/io/design-io.ts).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { compileDesign } from '../../drivers/compile/index.ts';
import { setupNodeBackend } from '../../drivers/compile/node-backend.ts';
import { serializeLayersModel } from '../../drivers/compile/serialize.ts';
import { loadFile } from './design-io.ts';
import { everyKind } from '../../../test/fixtures/every-kind.ts';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

const file = (name: string, json: unknown) => new File([JSON.stringify(json)], name, { type: 'application/json' });

describe('opening a model.json in the editor', () => {
  it('a saved tfjs model.json opens as a design with the preset\'s totals and no positions', async () => {
    const preset = JSON.parse(readFileSync('presets/conv-5x5-vs-3x3.convas.json', 'utf8')) as Design;
    const c = compileDesign(preset, { seed: 7 });
    const { modelJson } = await serializeLayersModel(c.model, 'weights.bin');
    c.model.dispose();
    const r = await loadFile(new File([modelJson], 'model.json'));
    if (!r.ok) throw new Error(r.error);
    expect(analyze(r.design).totals).toEqual(analyze(preset).totals);
    expect(r.design.nodes.every((n) => !n.position)).toBe(true);
  });

  it('a Keras topology with a layer Convas lacks gives the importer\'s message', async () => {
    const lstm = { class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: { name: 'rnn', batch_input_shape: [null, 4, 4, 1] } }] } };
    expect(await loadFile(file('rnn.json', lstm))).toEqual({ ok: false, error: "rnn.json: layer 'rnn': LSTM is not a layer Convas knows" });
  });

  it('a tfjs export with grouped convolutions and ceil-mode pools opens with the same numbers', async () => {
    const design = everyKind();
    const c = compileDesign(design, { seed: 7 });
    const { modelJson } = await serializeLayersModel(c.model, 'weights.bin');
    c.model.dispose();
    const r = await loadFile(new File([modelJson], 'model.json'));
    if (!r.ok) throw new Error(r.error);
    expect(analyze(r.design).totals).toEqual(analyze(design).totals);
    expect(r.design.nodes.find((n) => n.id === 'grp')!.params).toMatchObject({ groups: 2 });
  });

  it('a hostile model.json gives the schema\'s message naming the layer and the field', async () => {
    const bad = { class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: '8x8x3' } }] } };
    expect(await loadFile(file('bad.json', bad))).toEqual({ ok: false, error: "bad.json: layer 'in' (InputLayer): field 'batch_input_shape': expected a list like [null, 224, 224, 3], got \"8x8x3\"" });
  });

  it('other JSON keeps the design reader\'s message', async () => {
    const r = await loadFile(file('x.json', { hello: 1 }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe('x.json: not a Convas design: "format" must be "convas.design", got nothing');
  });
});
