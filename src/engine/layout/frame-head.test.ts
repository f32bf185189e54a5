import { describe, expect, it } from 'vitest';
import { getBezierPath, Position } from '@xyflow/system';
import { bezierAtY, headBandBottom, labelClearOfHead } from './frame-head.ts';
import { HEADER, PAD } from './group-frames.ts';
import { emptyDesign, type Design } from '../index.ts';

describe('edge labels clear of a frame head', () => {
  it.each([[0, 0, 100, 100], [100, 74, 210, 110], [-40, 10, 300, 400]])(
    "bezierAtY lies on React Flow's own bezier (its label point, t = ½) for %i,%i → %i,%i", (sx, sy, tx, ty) => {
      const [, lx, ly] = getBezierPath({ sourceX: sx, sourceY: sy, targetX: tx, targetY: ty, sourcePosition: Position.Bottom, targetPosition: Position.Top });
      const p = bezierAtY(sx, sy, tx, ty, ly);
      expect(p.x).toBeCloseTo(lx, 6);
      expect(p.y).toBeCloseTo(ly, 6);
    });

  // the 5×5 preset's layout: input at y 0, the groups' first layers at y 110, frames from 110 − PAD − HEADER
  const design: Design = {
    ...emptyDesign('two'),
    nodes: [
      { id: 'in', kind: 'input', params: { shape: [8, 8, 1] }, position: { x: 0, y: 0 } },
      { id: 'a', kind: 'conv2d', params: { filters: 1, kernelSize: 3 }, position: { x: 110, y: 110 }, group: 'g' },
      { id: 'b', kind: 'conv2d', params: { filters: 1, kernelSize: 3 }, position: { x: 110, y: 220 }, group: 'g' },
      { id: 'c', kind: 'conv2d', params: { filters: 1, kernelSize: 3 }, position: { x: 400, y: 110 }, group: 'shut' },
    ],
    edges: [],
    groups: [{ id: 'g', kind: 'block', label: 'two 3×3' }, { id: 'shut', kind: 'block', collapsed: true }],
  };

  it('knows the band of the open frame around a layer, none for a layer outside or in a collapsed group', () => {
    expect(headBandBottom(design, 'a')).toBe(110 - PAD);
    expect(headBandBottom(design, 'b')).toBe(110 - PAD);
    expect(headBandBottom(design, 'in')).toBeNull();
    expect(headBandBottom(design, 'c')).toBeNull();
  });

  it('moves a label in the band down its edge into the padding; leaves one elsewhere', () => {
    const band = headBandBottom(design, 'a')!;
    const [, lx, ly] = getBezierPath({ sourceX: 100, sourceY: 74, targetX: 210, targetY: 110, sourcePosition: Position.Bottom, targetPosition: Position.Top });
    expect(ly).toBeGreaterThan(band - HEADER); // the midpoint label would sit in the head
    const p = labelClearOfHead(100, 74, 210, 110, lx, ly, band);
    expect(p.y).toBeCloseTo(band + PAD / 2, 6);
    expect(p.x).toBeGreaterThan(lx); // further along, towards the target
    // an edge inside the frame (below the band), or into no frame, keeps its label
    expect(labelClearOfHead(210, 184, 210, 220, 210, 202, band)).toEqual({ x: 210, y: 202 });
    expect(labelClearOfHead(100, 74, 210, 110, lx, ly, null)).toEqual({ x: lx, y: ly });
  });
});
