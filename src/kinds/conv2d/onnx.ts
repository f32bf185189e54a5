/** Conv 2D in ONNX: `Conv` with the contract's exact pads (`window2d`) (asymmetric 'same' is native), then the activation. */

import { int, ints, type OnnxEmitContext } from '../../backends/onnx-graph.ts';
import type { ConvLayerValues } from '../common.ts';
import type { KindParams } from '../registry.ts';
import type { OnnxRuleOf } from '../rules.ts';

/**
 * A `Conv` from the input's channels to `cout` in `groups` groups (depthwise: `groups = cin`), weights
 * `<out>.weight` [cout, cin/groups, kh, kw] and `<out>.bias`, then the activation.
 */
export function convNode({ g, x, inShape, out }: OnnxEmitContext<KindParams<'conv2d' | 'depthwiseConv2d'>>, p: ConvLayerValues, cout: number, groups: number): void {
  const [h, w, cin] = inShape;
  const [kh, kw] = p.kernelSize;
  const ins = [x, g.weight(`${out}.weight`, [cout, cin / groups, kh, kw])];
  if (p.useBias) ins.push(g.weight(`${out}.bias`, [cout]));
  const attrs = [
    ints('kernel_shape', [kh, kw]), ints('strides', p.strides), ints('dilations', p.dilation), int('group', groups),
    ints('pads', g.pads(h, w, p.kernelSize, p.strides, p.dilation, p.padding)),
  ];
  const linear = p.activation === 'linear';
  const y = g.op('Conv', ins, linear ? out : g.tmp(out), attrs, out);
  if (!linear) g.activation(p.activation, y, out);
}

export const conv2dOnnx: OnnxRuleOf<'conv2d'> = { emit: (ctx) => convNode(ctx, ctx.p, ctx.p.filters, ctx.p.groups) };
