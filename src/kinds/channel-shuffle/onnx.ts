/**
 * Channel shuffle in ONNX (opset 13), as PyTorch's exporter spells out torchvision's `channel_shuffle`: `Reshape`
 * to [N, groups, C/groups, H, W], `Transpose` of axes 1 and 2, `Reshape` back to [N, C, H, W] (the batch read by
 * Reshape's −1); a flat [N, C] the same way without H and W.
 */

import { ints } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const channelShuffleOnnx: OnnxRuleOf<'channelShuffle'> = {
  emit({ g, x, p, inShape, out }) {
    const c = inShape[inShape.length - 1];
    const space = inShape.length === 3 ? [inShape[0], inShape[1]] : [];
    const split = g.op('Reshape', [x, g.constI64(g.tmp(out), [-1, p.groups, c / p.groups, ...space])], g.tmp(out));
    const perm = [0, 2, 1, ...space.map((_, i) => i + 3)];
    const swapped = g.op('Transpose', [split], g.tmp(out), [ints('perm', perm)]);
    g.op('Reshape', [swapped, g.constI64(g.tmp(out), [-1, c, ...space])], out, [], out);
  },
};
