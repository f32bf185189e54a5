/**
 * The activations tfjs lacks or defines otherwise, as tfjs activation classes registered under Convas's own names
 * (so a layer takes them by identifier, as `activation: 'convasHardSigmoid'`, and a saved `model.json` names them
 * `convas_hard_sigmoid`, which reloads here and reads back through the Keras import):
 * - `ConvasHardSigmoid`, relu6(x + 3) / 6 (PyTorch's `F.hardsigmoid`, Keras 3's `hard_sigmoid`). tfjs's own
 *   `hardSigmoid` is Keras 2's 0.2·x + 0.5 (tfjs-layers backend/tfjs_backend.js), another function, so Convas never
 *   uses it, and does not replace it either: a tfjs file's `hard_sigmoid` keeps tfjs's meaning.
 * - `ConvasHardSwish`, x · relu6(x + 3) / 6 (PyTorch's `F.hardswish`, Keras 3's `hard_silu`); tfjs has none.
 * GELU needs nothing here: tfjs's `gelu` is the exact 0.5·x·(1 + erf(x / √2)) (tfjs-layers activations.js; its
 * `gelu_new` is the tanh approximation, which Convas does not use).
 */

import * as tf from '@tensorflow/tfjs';

/** relu6(x + 3) / 6, in PyTorch's order of operations (aten's hardsigmoid kernel: clamp, then divide by 6). */
export class ConvasHardSigmoid extends tf.serialization.Serializable {
  static readonly className = 'convasHardSigmoid';
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
  }
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

/** x · relu6(x + 3) / 6, in PyTorch's order (aten's hardswish kernel: the product first, then divide by 6). */
export class ConvasHardSwish extends tf.serialization.Serializable {
  static readonly className = 'convasHardSwish';
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6));
  }
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

tf.serialization.registerClass(ConvasHardSigmoid);
tf.serialization.registerClass(ConvasHardSwish);
