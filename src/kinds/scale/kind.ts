import { formatInt } from '../../contract/format.ts';
import { defineLayer, RF_IDENTITY } from '../../contract/layer-kind.ts';

/**
 * A learned factor per channel, `y[…, c] = x[…, c] · gamma[c]`: ConvNeXt's layer scale (Liu et al. 2022, after
 * CaiT's LayerScale, Touvron et al. 2021), which starts the residual branch near zero (`initValue` 1e-6 there).
 * Counts as docs/design-format.md#layer-kinds and docs/analysis.md#macs give them: C trainable, 0 MACs (as batch norm
 * counts its per-channel products).
 */
export const scale = defineLayer({
  kind: 'scale',
  title: 'Layer scale',
  category: 'gate',
  doc: 'Multiplies each channel by a learned factor (ConvNeXt\'s layer scale); all factors start at the initial value.',
  params: {
    initValue: { type: 'float', min: -1e6, max: 1e6, default: 1, label: 'Initial value', help: 'ConvNeXt starts its layer scales at 1e-6' },
  },
  arity: { min: 1, max: 1 },
  outputShape: ([x]) => [...x],
  counts: ({ inputs: [x] }) => ({ trainable: x[x.length - 1], nonTrainable: 0, macs: 0 }),
  // a factor per channel: every output pixel sees its own input pixel only
  receptiveField: () => RF_IDENTITY,
  summary: (p) => `scale ×${p.initValue}`,
  explain: ({ inputs: [x] }) => [`params = C = ${formatInt(x[x.length - 1])}  (one factor gamma per channel)`],
  // gamma [C] (the last axis: channels of an image, the N values of a flat vector), every factor `initValue`
  initialWeights({ params: p, inputShape, draw }) {
    return { gamma: draw.start([inputShape[inputShape.length - 1]], p.initValue, 0.5, 1.5) };
  },
});
