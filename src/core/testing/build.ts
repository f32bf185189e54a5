/**
 * A tiny design builder for tests: chains nodes and wires edges so that a test reads like the network.
 * @example const b = new DesignBuilder('t'); b.input([32, 32, 3]); b.add('conv2d', { filters: 8, kernelSize: 3 });
 */

import type { Design, DesignEdge, DesignNode, Shape } from '../types.ts';

export class DesignBuilder {
  nodes: DesignNode[] = [];
  edges: DesignEdge[] = [];
  last = '';
  private count = 0;

  constructor(public name = 'test') {}

  /** Adds a node fed by `from` (default: the last node added); returns its id. */
  add(kind: string, params: Record<string, unknown> = {}, from: string | string[] = this.last, id?: string): string {
    const nodeId = id ?? `${kind}_${++this.count}`;
    this.nodes.push({ id: nodeId, kind, params });
    for (const src of Array.isArray(from) ? from : from ? [from] : []) {
      this.edges.push({ id: `e${this.edges.length + 1}`, source: src, target: nodeId });
    }
    this.last = nodeId;
    return nodeId;
  }

  input(shape: Shape, id = 'in'): string {
    return this.add('input', { shape }, [], id);
  }

  design(): Design {
    return { format: 'convas.design', version: 1, name: this.name, nodes: this.nodes, edges: this.edges };
  }
}

/** VGG-16 as Keras and torchvision build it: 138,357,544 params, 15,470,264,320 MACs. */
export function vgg16(): Design {
  const b = new DesignBuilder('VGG-16');
  b.input([224, 224, 3]);
  let block = 0;
  for (const [convs, filters] of [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]]) {
    block++;
    for (let i = 1; i <= convs; i++) {
      b.add('conv2d', { filters, kernelSize: 3, padding: 'same', activation: 'relu' }, b.last, `block${block}_conv${i}`);
    }
    b.add('maxPool2d', { poolSize: 2 }, b.last, `block${block}_pool`);
  }
  b.add('flatten', {}, b.last, 'flatten');
  b.add('dense', { units: 4096, activation: 'relu' }, b.last, 'fc1');
  b.add('dense', { units: 4096, activation: 'relu' }, b.last, 'fc2');
  b.add('dense', { units: 1000, activation: 'softmax' }, b.last, 'predictions');
  return b.design();
}
