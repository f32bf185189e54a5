import { describe, expect, it } from 'vitest';
import { nodeSummary } from './node-summary.ts';

describe('nodeSummary (the settings line of a box: canvas, ghosts, picture)', () => {
  const conv = { kind: 'conv2d', params: { filters: 64, kernelSize: 3, padding: 'same' } };

  it("gives the kind's summary of the validated params (defaults filled in)", () => {
    expect(nodeSummary(conv)).toBe('conv 3×3 same · 64');
    expect(nodeSummary({ kind: 'conv2d', params: { filters: 8, kernelSize: 1, strides: 2 } })).toBe('conv 1×1 /2 · 8');
  });

  it("puts the kind's title first only where the line has room for both", () => {
    // 'Conv 2D · conv 3×3 same · 64' is 28 characters
    expect(nodeSummary(conv, { room: 28 })).toBe('Conv 2D · conv 3×3 same · 64');
    expect(nodeSummary(conv, { room: 27 })).toBe('conv 3×3 same · 64');
  });

  it("falls back to the kind's title (or, asked, its name) for params that do not validate, and names an unknown kind", () => {
    const bad = { kind: 'conv2d', params: { filters: -1, kernelSize: 3 } };
    expect(nodeSummary(bad)).toBe('Conv 2D');
    expect(nodeSummary(bad, { room: 80, fallback: 'kind' })).toBe('conv2d');
    expect(nodeSummary({ kind: 'conv3d', params: {} })).toBe('conv3d');
  });
});
