/**
 * Upsampling in ONNX (opset 13): `Resize` by the scales [1, 1, sh, sw] with the coordinate rule that gives
 * PyTorch's values, as `torch.onnx.export` writes `nn.Upsample`: nearest is `asymmetric` with `floor` (output pixel
 * i reads input pixel ⌊i/u⌋), bilinear is `linear` with `half_pixel` (samples at (i + ½)/u − ½, PyTorch's
 * `align_corners=False`; onnxruntime clamps at the edges as PyTorch does).
 */

import { str } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const upsample2dOnnx: OnnxRuleOf<'upsample2d'> = {
  emit({ g, p, x, out }) {
    const scales = g.constF(g.tmp(out), [4], new Float32Array([1, 1, p.size[0], p.size[1]]));
    const attrs = p.interpolation === 'nearest'
      ? [str('mode', 'nearest'), str('coordinate_transformation_mode', 'asymmetric'), str('nearest_mode', 'floor')]
      : [str('mode', 'linear'), str('coordinate_transformation_mode', 'half_pixel')];
    // roi is unused by these modes: the empty name leaves the optional input out
    g.op('Resize', [x, '', scales], out, attrs, out);
  },
};
