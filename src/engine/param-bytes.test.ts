import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { paramPrecisionBytes } from './param-bytes.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

// int8 by hand (docs/analysis.md#weights-at-lower-precision): a kernel's elements at 1 byte, a float32 scale per
// output channel, every other parameter at 4 bytes.
const CONV = 3 * 3 * 3 * 4 + 4 * 4 + 4 * 4; // 3×3 kernel over 3 channels to 4 filters, 4 scales, 4 biases: 140
const BN = 4 * 4 * 4; // gamma, beta, moving mean and variance of 4 channels: 64

describe('paramPrecisionBytes', () => {
  it('counts each computed node once, read from the rows the analysis validated', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'conv');
    b.add('batchNorm', {}, 'conv', 'bn');
    const d = b.design();
    const a = analyze(d);
    expect(a.valid).toBe(true);
    expect(paramPrecisionBytes(d, a)).toEqual({ paramBytesFloat16: 2 * (112 + 16), paramBytesInt8: CONV + BN });
  });

  it('leaves out a repeated id, a node an error stops and what it blocks, as the totals do', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'conv');
    b.add('conv2d', { filters: 9, kernelSize: 3 }, [], 'conv'); // the same id again, unwired: not a second node
    b.add('conv2d', { filters: 4, kernelSize: 11 }, 'conv', 'tooLarge'); // an 11×11 kernel on an 8×8 map
    b.add('batchNorm', {}, 'tooLarge', 'blocked');
    const d = b.design();
    const a = analyze(d);
    expect(a.valid).toBe(false);
    expect(paramPrecisionBytes(d, a).paramBytesInt8).toBe(CONV);
  });

  it('matches rows by id where they are not in the design\'s order (an analysis of another origin)', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'conv');
    b.add('batchNorm', {}, 'conv', 'bn');
    const d = b.design();
    const a = analyze(d);
    // rows that went through JSON (a worker's message) and came back reversed: nothing validated is kept on them
    const other = { ...a, nodes: JSON.parse(JSON.stringify(a.nodes)).reverse() };
    expect(paramPrecisionBytes(d, other).paramBytesInt8).toBe(CONV + BN);
  });
});
