/**
 * The names of every target: unique within their target, and the tfjs helper layers recognised by the import exactly
 * as the compiler names them. That the ONNX initializers carry the PyTorch state dict's keys is tested on an export
 * (src/drivers/export/hostile-names.test.ts), where a name rule copied into one exporter would show.
 */
import { describe, expect, it } from 'vitest';
import type { DesignNode } from '../contract/types.ts';
import {
  importedNodeIds, isTfjsHelperOf, layerName, nodeIdOfLayer, pythonNames, tfjsLayerNames, tfjsModelName, torchStateDictKey,
} from './names.ts';

const nodes = (...ids: string[]): { nodes: DesignNode[] } => ({ nodes: ids.map((id) => ({ id, kind: 'dense', params: {} })) });

describe('target names', () => {
  it('PyTorch attributes are unique: ids that map to one name get _2, _3… in design order', () => {
    const names = pythonNames(nodes('a.b', 'a_b', 'a:b', 'forward'));
    expect([...names.values()]).toEqual(['a_b', 'a_b_2', 'a_b_3', 'forward_']);
    expect(torchStateDictKey(names.get('a:b')!, 'running_var')).toBe('a_b_3.running_var');
  });

  it('tfjs layer names are unique across a node\'s own layer and helper layers, in the order asked', () => {
    const names = tfjsLayerNames();
    expect(names.node('c1')).toBe('c1');
    expect(names.helper('c1', 'pad')).toBe('c1__pad');
    expect(names.node('c1__pad')).toBe('c1__pad_2');
    expect(names.node('c1')).toBe('c1_2');
    expect(names.node('_x')).toBe(layerName('_x'));
    expect(tfjsModelName('My  net')).toBe('My_net');
    expect(tfjsModelName('')).toBe('convas');
  });

  it('the import recognises each helper name the compiler gives, and no other', () => {
    const names = tfjsLayerNames();
    const own = names.node('conv');
    const first = names.helper('conv', 'pad');
    const again = names.helper('conv', 'pad');
    expect([first, again]).toEqual(['conv__pad', 'conv__pad_2']);
    expect(isTfjsHelperOf(first, own, 'pad')).toBe(true);
    expect(isTfjsHelperOf(again, own, 'pad')).toBe(true);
    expect(isTfjsHelperOf(first, 'conv_2', 'pad')).toBe(true); // the owner renamed for uniqueness
    expect(isTfjsHelperOf(first, own, 'stride')).toBe(false);
    expect(isTfjsHelperOf('other__pad', own, 'pad')).toBe(false);
  });

  it('a Keras layer name becomes a node id of the allowed characters', () => {
    expect(nodeIdOfLayer('block 1/conv#a')).toBe('block_1_conv_a');
    expect(nodeIdOfLayer('x'.repeat(70))).toHaveLength(64);
    expect(nodeIdOfLayer('')).toBe('layer');
  });

  it('the node ids of one import are unique: _2, _3… after the first 60 characters, so no id passes 64', () => {
    const id = importedNodeIds();
    expect([id('a b'), id('a_b'), id('a#b'), id('c')]).toEqual(['a_b', 'a_b_2', 'a_b_3', 'c']);
    const long = 'x'.repeat(70);
    expect([id(long), id(long)]).toEqual(['x'.repeat(64), `${'x'.repeat(60)}_2`]);
  });
});
