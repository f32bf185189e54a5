/** torchvision's `SqueezeExcitation` module (Hu et al., "Squeeze-and-Excitation Networks", 2018), as the presets draw it. */

import { Builder, SPREAD } from './builder.ts';

/**
 * torchvision's `SqueezeExcitation` `p` on the map `from` (C = `channels`): global average pool kept 1×1×C
 * (`p.avgpool`), fc1 (a 1×1 conv with bias) to `squeeze` channels, the inner activation (`p.activation`), fc2 back
 * to C, the gate (`p.scale_activation`), and the channel-wise multiply, whose output is the module's (`p`).
 * MobileNet v3 gates with ReLU and hard-sigmoid, EfficientNet with SiLU (`swish`) and sigmoid, RegNet Y with ReLU
 * and sigmoid; each sizes the squeeze its own way (the caller passes it). The gate is drawn one column left of the
 * map it scales.
 *
 * @returns the id of the multiply node (`p`)
 */
export function squeezeExcitation(b: Builder, from: string, p: string, channels: number, squeeze: number, inner: string, gate: string): string {
  const [map, scale] = b.branches(from, [() => from, () => {
    b.add('globalAvgPool', `${p}.avgpool`, { keepDims: true });
    b.conv(`${p}.fc1`, { filters: squeeze, kernelSize: 1 });
    b.act(`${p}.activation`, inner);
    b.conv(`${p}.fc2`, { filters: channels, kernelSize: 1 });
    return b.act(`${p}.scale_activation`, gate);
  }], [0, -SPREAD]);
  return b.add('multiply', p, {}, { from: [map, scale] });
}
