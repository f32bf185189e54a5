/**
 * The design's `outputs` list (docs/design-format.md#outputs): read from a file, checked by the analysis (each error
 * naming the node), saved in its place, kept by deletes, and edited by the editor's output edits.
 */

import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import {
  advise, analyze, designToText, modelIO, moveOutput, outputNodes, parseDesignText, readDesign, removeNodes, setOutput,
  type Design,
} from './index.ts';

/** in → conv → gap → features (dense relu) → logits (dense): features also feeds logits. */
function head(): Design {
  const b = new DesignBuilder('head');
  b.input([8, 8, 3]);
  b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'conv');
  b.add('globalAvgPool', {}, 'conv', 'gap');
  b.add('dense', { units: 6, activation: 'relu' }, 'gap', 'features');
  b.add('dense', { units: 3 }, 'features', 'logits');
  return b.design();
}

describe('the outputs list', () => {
  it('without it, the outputs are the nodes that feed nothing, in file order; with it, the list in its order', () => {
    const d = head();
    expect(outputNodes(d).map((n) => n.id)).toEqual(['logits']);
    const listed = { ...d, outputs: ['logits', 'features', 'in'] };
    expect(modelIO(listed).outputs.map((n) => n.id)).toEqual(['logits', 'features', 'in']);
    expect(modelIO(listed).inputs.map((n) => n.id)).toEqual(['in']);
    expect(analyze(listed).errors).toEqual([]);
  });

  it('reads from a file and saves after the edges; a value that is not a list is not a design; bad entries are named', () => {
    const text = designToText({ ...head(), outputs: ['features', 'logits'] });
    expect(text).toMatch(/"edges": \[[\s\S]*\],\n {2}"outputs": \["features", "logits"\]\n\}/);
    const back = parseDesignText(text);
    expect(back.ok && back.design.outputs).toEqual(['features', 'logits']);
    expect(readDesign({ ...head(), outputs: 'logits' })).toEqual({ ok: false, error: 'not a Convas design: "outputs" must be a list of node ids' });
    const bad = readDesign({ ...head(), outputs: ['logits', 7, 'a b'] });
    expect(bad.ok && bad.issues.map((i) => i.message)).toEqual(['outputs entry 2 is 7: expected a node id', 'outputs entry 3 is "a b": expected a node id']);
    expect(bad.ok && bad.design.outputs).toEqual(['logits']);
    // a design without the field reads back without it: nothing is added
    const plain = parseDesignText(designToText(head()));
    expect(plain.ok && 'outputs' in plain.design).toBe(false);
  });

  it('errors name the node: not a node, listed twice, an empty list, a node that feeds nothing and is not listed', () => {
    const errs = (outputs: string[]) => analyze({ ...head(), outputs }).errors.map((e) => [e.nodeId, e.message]);
    expect(errs(['logits', 'ghost'])).toEqual([[undefined, "outputs entry 2 names 'ghost', which is not a node of this design"]]);
    expect(errs(['logits', 'features', 'logits'])).toEqual([['logits', "is listed twice in the design's outputs (each output once)"]]);
    expect(errs([])).toEqual([
      [undefined, "the design's outputs list is empty: a model needs at least one output"],
      ['logits', "feeds nothing and is not one of the design's outputs: connect it, or mark it as an output"],
    ]);
    expect(errs(['features'])).toEqual([['logits', "feeds nothing and is not one of the design's outputs: connect it, or mark it as an output"]]);
    expect(analyze({ ...head(), outputs: ['features'] }).valid).toBe(false);
  });

  it('advice rule 5 reads an output that also feeds on as an output', () => {
    const b = new DesignBuilder('seen');
    b.input([32, 32, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'c1');
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'c1', 'c2');
    const d = b.design();
    const rule5 = (x: Design) => advise(x, analyze(x)).filter((i) => i.rule === 'receptive-field-coverage').map((i) => i.nodeId);
    expect(rule5(d)).toEqual(['c2']);
    expect(rule5({ ...d, outputs: ['c1', 'c2'] })).toEqual(['c1', 'c2']);
  });
});

describe('output edits', () => {
  it('mark, unmark and move write the list only where it is not the default', () => {
    const d = head();
    const marked = setOutput(d, 'features', true);
    expect(marked.outputs).toEqual(['logits', 'features']);
    const moved = moveOutput(marked, 'features', 0);
    expect(moved.outputs).toEqual(['features', 'logits']);
    expect(moveOutput(moved, 'features', 0)).toBe(moved);
    // unmarking it again is the default: no list
    expect('outputs' in setOutput(moved, 'features', false)).toBe(false);
    expect(setOutput(d, 'logits', true)).toBe(d);
    expect(() => setOutput(d, 'logits', false)).toThrow(/feeds nothing, so it stays an output/);
    expect(() => moveOutput(d, 'features', 0)).toThrow(/not one of the outputs/);
  });

  it('deleting a node takes it off the list; deleting the last listed one leaves no list', () => {
    const d = { ...head(), outputs: ['features', 'logits'] };
    // logits gone: features feeds nothing and is the only output, the default
    expect('outputs' in removeNodes(d, ['logits'])).toBe(false);
    const three = { ...head(), outputs: ['logits', 'conv', 'features'] };
    expect(removeNodes(three, ['conv']).outputs).toEqual(['logits', 'features']);
    expect(removeNodes(head(), ['logits']).outputs).toBeUndefined();
  });
});
