import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, formatInt, parseDesignText, type Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../../engine/layout/node-size.ts';
import { CATEGORIES } from '../../kinds/categories.ts';
import { toSvg } from './svg.ts';

const preset = (id: string): Design => {
  const r = parseDesignText(readFileSync(`presets/${id}.convas.json`, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.design;
};

/** The numbers of an attribute on every element of a kind, e.g. all `<rect x=…>` of the node boxes. */
const nodeBoxes = (svg: string) =>
  [...svg.matchAll(/<g class="node"><title>([^<]*)<\/title><rect x="([-\d.]+)" y="([-\d.]+)"/g)].map((m) => ({ id: m[1], x: Number(m[2]), y: Number(m[3]) }));

describe('toSvg', () => {
  it("marks each layer's left edge with its category's colour, from the one table the editor's stylesheet reads", () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'conv');
    b.add('maxPool2d', { poolSize: 2 }, 'conv', 'pool');
    b.add('flatten', {}, 'pool', 'flat');
    const d = b.design();
    const svg = toSvg(d, analyze(d));
    const stripes = [...svg.matchAll(/<g class="node"><title>([^<]*)<\/title>.*?width="4" height="\d+" fill="([^"]+)" clip-path/g)].map((m) => [m[1], m[2]]);
    expect(stripes).toEqual([
      ['in', CATEGORIES.input.colour], ['conv', CATEGORIES.convolution.colour], ['pool', CATEGORIES.pooling.colour], ['flat', CATEGORIES.dense.colour],
    ]);
    // each stripe is cut to its own box's rounded corners
    expect(new Set([...svg.matchAll(/<clipPath id="([^"]+)">/g)].map((m) => m[1])).size).toBe(4);
  });

  it("writes every layer's settings whole: the kind's title goes where the line has no room for both", () => {
    const design = preset('xception');
    const svg = toSvg(design, analyze(design));
    expect(svg).toContain('>Conv 2D · conv 1×1 /2 same · 128<');
    expect(svg).toContain('>sep 3×3 same · 2048<'); // "Separable conv · sep 3×3 same · 2048" would be clipped
    expect(svg).not.toMatch(/>[^<]*· …</);
  });

  it('draws every layer where the editor put it, every edge with its shape, and each group with its totals', () => {
    const design = preset('resnet18');
    const a = analyze(design);
    const svg = toSvg(design, a);
    const boxes = nodeBoxes(svg);
    expect(boxes).toHaveLength(design.nodes.length);
    // relative placement is the design's: same offsets between any two nodes
    const p0 = design.nodes[0].position!;
    const p5 = design.nodes[5].position!;
    const b0 = boxes.find((b) => b.id === design.nodes[0].id)!;
    const b5 = boxes.find((b) => b.id === design.nodes[5].id)!;
    expect([b5.x - b0.x, b5.y - b0.y]).toEqual([p5.x - p0.x, p5.y - p0.y]);
    // no box starts outside the picture
    const [, w, h] = svg.match(/viewBox="0 0 (\d+) (\d+)"/)!.map(Number);
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + NODE_WIDTH).toBeLessThanOrEqual(w);
      expect(b.y + NODE_HEIGHT).toBeLessThanOrEqual(h);
    }
    expect(svg.match(/<g class="edge-label">/g)).toHaveLength(design.edges.length);
    expect(svg).toContain('>56×56×64<');
    // skip edges are dashed
    expect(svg.match(/stroke-dasharray="6 4"/g)!.length).toBeGreaterThanOrEqual(8);
    expect(svg.match(/<g class="group">/g)).toHaveLength(design.groups!.length);
    expect(svg).toContain(`${formatInt(a.groups[0].params)} params`);
    expect(svg).toContain(`${formatInt(a.totals.params)} params`);
    expect(svg).toContain('RF ');
  });

  it('lays out a design without positions in rows by depth', () => {
    const b = new DesignBuilder('rows');
    const x = b.input([32, 32, 3]);
    const l = b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, x);
    const r = b.add('conv2d', { filters: 8, kernelSize: 1 }, x);
    b.add('concat', {}, [l, r]);
    const design = b.design();
    const boxes = nodeBoxes(toSvg(design));
    const y = (id: string) => boxes.find((q) => q.id === id)!.y;
    expect(y(l)).toBe(y(r));
    expect(y(l)).toBeGreaterThan(y(x));
  });

  it('escapes names and marks layers with errors in red with their message', () => {
    const b = new DesignBuilder('bad');
    b.input([4, 4, 3]);
    const c = b.add('conv2d', { filters: 8, kernelSize: 7 });
    const design = b.design();
    design.nodes.find((n) => n.id === c)!.name = '<img src=x onerror=alert(1)>';
    const svg = toSvg(design);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).toContain('fill="#fdecea"');
    expect(svg).toMatch(/kernel 7×7 is larger/);
    // the box names the layer already: its error line is the bare message (clipped to the box); the tooltip
    // gives the error as a list shows it, with the layer's label
    expect(svg).toContain(`<title>conv2d '${c}': kernel 7×7 is larger than its 4×4 input (padding 0)</title>`);
    expect(svg).toMatch(/fill="#b3261e">kernel 7×7 is larger than its/);
  });
});
