import { describe, expect, it } from 'vitest';
import { CHANNEL_CLEAR, channelAround, segmentHitsBox } from './edge-route.ts';

const box = (x: number, y: number) => ({ x, y, width: 200, height: 74 });

describe('edges around layers', () => {
  it('segment against box', () => {
    expect(segmentHitsBox(0, 0, 100, 100, box(40, 40))).toBe(true);
    expect(segmentHitsBox(0, 0, 0, 100, box(40, 40))).toBe(false);
    expect(segmentHitsBox(300, 0, 300, 300, box(40, 40))).toBe(false);
  });

  it('a straight clear run stays straight', () => {
    expect(channelAround(100, 74, 100, 198, [box(300, 124)])).toBeNull();
  });

  it('an inception branch into its concat goes down a channel beside the layer it would cross, clear of every layer', () => {
    // the 1×1 branch (col 0) to the concat (col 1.5, two rows down), the 3×3 branch at col 1 in between
    const boxes = [box(230, 105), box(460, 105), box(690, 105)];
    const x = channelAround(100, 74, 445, 210, boxes)!;
    expect(x).not.toBeNull();
    for (const b of boxes) expect(x + CHANNEL_CLEAR <= b.x || x - CHANNEL_CLEAR >= b.x + b.width).toBe(true);
    expect(x).toBe(230 - CHANNEL_CLEAR);
  });

  it('a skip past a column of layers goes beside the column', () => {
    const column = [0, 1, 2, 3].map((r) => box(0, 124 + r * 124));
    const x = channelAround(100, 74, 100, 124 * 5, column)!;
    expect(x === -CHANNEL_CLEAR || x === 200 + CHANNEL_CLEAR).toBe(true);
  });
});
