/** RegNet: torchvision RegNetY-400MF (Radosavovic et al., "Designing Network Design Spaces", 2020). */

import type { Design } from '../../src/engine/index.ts';
import { Builder, SIDE_BY_SIDE, MAIN_ONLY } from './builder.ts';
import { squeezeExcitation } from './squeeze-excitation.ts';

/** torchvision's RegNet batch norm: eps 1e-5, PyTorch momentum 0.1 (Keras momentum 0.9). */
const BN = { epsilon: 1e-5, momentum: 0.9 };

/**
 * RegNetY-400MF's stages as torchvision's `BlockParams.from_init_params(depth=16, w_0=48, w_a=27.89, w_m=2.09,
 * group_width=8, se_ratio=0.25)` quantises them: widths 48, 104, 208, 440 with 1, 3, 6, 6 blocks, each stage starting
 * with stride 2; bottleneck multiplier 1 (no narrowing), groups of 8 channels in the 3×3.
 */
const STAGES = [[48, 1], [104, 3], [208, 6], [440, 6]] as const;
const GROUP_WIDTH = 8;
const SE_RATIO = 0.25;

/** torchvision's `Conv2dNormActivation` `p`: conv without bias (`p.0`), batch norm (`p.1`), ReLU (`p.2`) if `relu`. */
function convBn(b: Builder, p: string, params: Record<string, unknown>, relu: boolean): string {
  b.conv(`${p}.0`, { ...params, useBias: false });
  b.bn(`${p}.1`, BN);
  return relu ? b.relu(`${p}.2`) : b.last;
}

/**
 * One torchvision `ResBottleneckBlock` `p` from `cin` to `w` channels: `f` = 1×1 (`f.a`), grouped 3×3 with the stride
 * (`f.b`, w/8 groups of 8 channels), squeeze-and-excitation (`f.se`, squeeze to round(0.25·cin): a quarter of the
 * block's input width; ReLU inside, sigmoid gate), 1×1 without activation (`f.c`); the shortcut is a 1×1 projection
 * with batch norm (`proj`) where the width or the resolution changes, the identity otherwise; add, then ReLU
 * (`p.activation`, the block's output).
 */
function block(b: Builder, from: string, p: string, cin: number, w: number, stride: number): string {
  const project = cin !== w || stride !== 1;
  return b.inGroup(p, 'residual', `${p} (Y block, ${w}${stride > 1 ? ', stride 2' : ''})`, () => {
    const main = () => {
      convBn(b, `${p}.f.a`, { filters: w, kernelSize: 1 }, true);
      const y = convBn(b, `${p}.f.b`, { filters: w, kernelSize: 3, strides: stride, padding: 1, groups: w / GROUP_WIDTH }, true);
      b.last = squeezeExcitation(b, y, `${p}.f.se`, w, Math.round(SE_RATIO * cin), 'relu', 'sigmoid');
      return convBn(b, `${p}.f.c`, { filters: w, kernelSize: 1 }, false);
    };
    const [m, skip] = project
      ? b.branches(from, [main, () => convBn(b, `${p}.proj`, { filters: w, kernelSize: 1, strides: stride }, false)], SIDE_BY_SIDE)
      : [...b.branches(from, [main], MAIN_ONLY), from];
    b.sum(`${p}.add`, [m, skip]);
    return b.relu(`${p}.activation`);
  });
}

/** torchvision `regnet_y_400mf()` at 224×224. */
export function regnetY400mf(): Design {
  const b = new Builder(
    'RegNetY-400MF (torchvision)',
    [
      'RegNetY-400MF (Radosavovic et al., "Designing Network Design Spaces", 2020) as torchvision.models.regnet_y_400mf',
      'builds it; node ids are torchvision module names. RegNet is not one searched network but a rule found by',
      'narrowing a space of networks: good networks\' stage widths grow roughly linearly with depth (w_j = w_0 + w_a·j,',
      'quantised to powers of w_m = 2.09: here 48, 104, 208, 440) and the blocks are plain ResNet bottlenecks with',
      'grouped 3×3 convs (groups of 8 channels) and no narrowing (bottleneck multiplier 1). The Y variants add a',
      'squeeze-and-excitation gate in every block (squeeze to a quarter of the block\'s input width, ReLU, sigmoid,',
      'channel-wise multiply), the gate of SENet, here at 400 million multiply-adds. Batch norm uses eps 1e-5.',
    ].join(' '),
  );
  b.input('input', [224, 224, 3]);
  let x = b.inGroup('stem', 'block', 'stem', () => convBn(b, 'stem', { filters: 32, kernelSize: 3, strides: 2, padding: 1 }, true));
  let cin = 32;
  STAGES.forEach(([w, depth], s) => {
    for (let i = 0; i < depth; i++) {
      x = block(b, x, `trunk_output.block${s + 1}.block${s + 1}-${i}`, cin, w, i === 0 ? 2 : 1);
      cin = w;
    }
  });
  b.last = x;
  b.inGroup('head', 'block', 'head (avgpool, fc)', () => {
    b.gap('avgpool');
    return b.dense('fc', { units: 1000 });
  });
  return b.design();
}
