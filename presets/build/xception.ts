/** Xception (Chollet 2017) as Keras Applications builds it: depthwise separable convolutions throughout. */

import type { Design } from '../../src/engine/index.ts';
import { Builder, SIDE_BY_SIDE, MAIN_ONLY } from './builder.ts';

/**
 * Keras Applications `Xception` (tf.keras.applications.Xception, include_top, 299×299): 22,910,480 params,
 * 22,855,952 trainable and 54,528 non-trainable (the batch norms' moving statistics), as its `summary()` reports.
 * Layer names are Keras's; the unnamed shortcut layers carry the names Keras gives them (`conv2d`,
 * `batch_normalization`, `add`, then `_1`, `_2`…), in the order Keras creates them.
 */
export function xception(): Design {
  const b = new Builder(
    'Xception (Keras)',
    [
      'Xception as Keras Applications builds it (tf.keras.applications.Xception, 299×299 input). Every 3×3 after the stem',
      'is a SeparableConv2D: a depthwise 3×3 filter per channel, then a 1×1 that mixes the channels. A middle-flow',
      'separable conv from 728 to 728 channels has 3·3·728 + 728·728 = 536,536 weights where a full 3×3 would have',
      '4,769,856: nine times fewer, which is how 36 convolutional layers fit in 22.9 M parameters. Entry and exit flow',
      'blocks downsample with a stride-2 max pool and a strided 1×1 shortcut; the eight middle-flow blocks are plain',
      'residual blocks of three separable convs each. Convs have no bias (the batch norm after each one supplies it).',
    ].join(' '),
  );
  let autoConv = 0;
  let autoBn = 0;
  let autoAdd = 0;
  const suffix = (n: number) => (n === 0 ? '' : `_${n}`);
  const sep = (id: string, filters: number) => b.add('separableConv2d', id, { filters, kernelSize: 3, padding: 'same', useBias: false });

  b.input('input_1', [299, 299, 3]);
  let x = b.inGroup('block1', 'block', 'block1 (stem)', () => {
    b.conv('block1_conv1', { filters: 32, kernelSize: 3, strides: 2, useBias: false });
    b.bn('block1_conv1_bn', {});
    b.relu('block1_conv1_act');
    b.conv('block1_conv2', { filters: 64, kernelSize: 3, useBias: false });
    b.bn('block1_conv2_bn', {});
    return b.relu('block1_conv2_act');
  });

  // Entry flow (blocks 2–4) and block 13: two separable convs, a stride-2 max pool, and a strided 1×1 shortcut.
  const downBlock = (block: number, widths: [number, number], reluFirst: boolean) => {
    const p = `block${block}`;
    x = b.inGroup(p, 'residual', `${p} (separable, /2)`, () => {
      const main = () => {
        if (reluFirst) b.relu(`${p}_sepconv1_act`);
        sep(`${p}_sepconv1`, widths[0]);
        b.bn(`${p}_sepconv1_bn`, {});
        b.relu(`${p}_sepconv2_act`);
        sep(`${p}_sepconv2`, widths[1]);
        b.bn(`${p}_sepconv2_bn`, {});
        return b.maxPool(`${p}_pool`, { poolSize: 3, strides: 2, padding: 'same' });
      };
      const shortcut = () => {
        b.conv(`conv2d${suffix(autoConv++)}`, { filters: widths[1], kernelSize: 1, strides: 2, padding: 'same', useBias: false });
        return b.bn(`batch_normalization${suffix(autoBn++)}`, {});
      };
      const [m, s] = b.branches(x, [main, shortcut], SIDE_BY_SIDE);
      return b.sum(`add${suffix(autoAdd++)}`, [m, s]);
    });
  };
  downBlock(2, [128, 128], false);
  downBlock(3, [256, 256], true);
  downBlock(4, [728, 728], true);

  // Middle flow: eight residual blocks of three 728-channel separable convs.
  for (let block = 5; block <= 12; block++) {
    const p = `block${block}`;
    x = b.inGroup(p, 'residual', `${p} (middle flow)`, () => {
      const [m] = b.branches(x, [() => {
        for (let i = 1; i <= 3; i++) {
          b.relu(`${p}_sepconv${i}_act`);
          sep(`${p}_sepconv${i}`, 728);
          b.bn(`${p}_sepconv${i}_bn`, {});
        }
        return b.last;
      }], MAIN_ONLY);
      return b.sum(`add${suffix(autoAdd++)}`, [m, x]);
    });
  }

  downBlock(13, [728, 1024], true);

  b.inGroup('block14', 'block', 'block14 (exit flow)', () => {
    sep('block14_sepconv1', 1536);
    b.bn('block14_sepconv1_bn', {});
    b.relu('block14_sepconv1_act');
    sep('block14_sepconv2', 2048);
    b.bn('block14_sepconv2_bn', {});
    return b.relu('block14_sepconv2_act');
  });
  b.gap('avg_pool');
  b.dense('predictions', { units: 1000, activation: 'softmax' });
  return b.design();
}
