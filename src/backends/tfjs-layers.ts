/**
 * Small custom tfjs layers the compiler needs: a pad with any constant (−∞ for max pools), a channel slice
 * (grouped convolutions), a pool's count scale and local response normalization; and tfjs's `DepthwiseConv2D` with
 * its dilation mended (conv2d and depthwiseConv2d both use it). Each is registered for (de)serialization. A layer
 * one kind alone needs lives in that kind's `tfjs.ts` (separableConv2d's `SeparableConv2D`).
 */

import * as tf from '@tensorflow/tfjs';

type Kwargs = Record<string, unknown>;
type Pads = [[number, number], [number, number]];

/** Pads H and W of `[B, H, W, C]` with a constant (default −∞, so a max pool never picks the padding). */
export class ConstantPad2d extends tf.layers.Layer {
  static className = 'ConvasConstantPad2d';
  readonly padding: Pads;
  readonly value: number;
  constructor(args: { padding: Pads; value?: number; name?: string }) {
    super({ name: args.name });
    this.padding = args.padding;
    this.value = args.value ?? -Infinity;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = s as tf.Shape;
    const [[t, b], [l, r]] = this.padding;
    return [shape[0], shape[1] == null ? null : shape[1] + t + b, shape[2] == null ? null : shape[2] + l + r, shape[3]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]], this.value));
  }
  override getConfig(): tf.serialization.ConfigDict {
    // −∞ does not survive JSON; store it as a string.
    return { ...super.getConfig(), padding: this.padding, value: Number.isFinite(this.value) ? this.value : String(this.value) };
  }
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ ...config, value: Number(config.value) });
  }
}

/** Channels `[begin, begin + size)` of `[B, H, W, C]`. */
export class ChannelSlice extends tf.layers.Layer {
  static className = 'ConvasChannelSlice';
  readonly begin: number;
  readonly size: number;
  constructor(args: { begin: number; size: number; name?: string }) {
    super({ name: args.name });
    this.begin = args.begin;
    this.size = args.size;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = s as tf.Shape;
    return [...shape.slice(0, -1), this.size];
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const begin = x.shape.map((_, i) => (i === x.rank - 1 ? this.begin : 0));
    const size = x.shape.map((d, i) => (i === x.rank - 1 ? this.size : d));
    return tf.slice(x, begin, size);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), begin: this.begin, size: this.size };
  }
}

/**
 * Rescales each output of an average pool by a per-row and per-column factor: a ceil-mode pool's last window
 * hangs over the padded image, and PyTorch divides it by the cells it covers, not by the full window.
 * `y[b, i, j, c] = x[b, i, j, c] · rows[i] · cols[j]`.
 */
export class PoolCountScale extends tf.layers.Layer {
  static className = 'ConvasPoolCountScale';
  readonly rows: number[];
  readonly cols: number[];
  constructor(args: { rows: number[]; cols: number[]; name?: string }) {
    super({ name: args.name });
    this.rows = args.rows;
    this.cols = args.cols;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return s as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const scale = tf.mul(tf.tensor(this.rows, [this.rows.length, 1, 1]), tf.tensor(this.cols, [1, this.cols.length, 1]));
      return tf.mul(x, scale);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rows: this.rows, cols: this.cols };
  }
}

// tfjs's own DepthwiseConv2D class (not exported by name): the one a `tf.layers.depthwiseConv2d` call makes.
const TfDepthwiseConv2D = Object.getPrototypeOf(tf.layers.depthwiseConv2d({ kernelSize: 1 })).constructor as
  new (args: Parameters<typeof tf.layers.depthwiseConv2d>[0]) => tf.layers.Layer;

/**
 * tfjs's `DepthwiseConv2D` with the dilation it ignores: tfjs 4.22 keeps `dilationRate` in the config but calls the
 * op without it and sizes the output without it ("TODO(cais): Add support for dilation"), so a dilated depthwise
 * convolution silently computed an undilated one. This subclass passes the dilation to `tf.depthwiseConv2d` and
 * sizes the output with it. Its class name stays `DepthwiseConv2D` (registered below in its place), so a saved
 * model is an ordinary Keras depthwise convolution with `dilation_rate`, which Keras runs as it should.
 */
export class DepthwiseConv2D extends TfDepthwiseConv2D {
  static className = 'DepthwiseConv2D';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  declare depthwiseKernel: any; declare bias: any; declare activation: any; declare useBias: boolean;
  declare strides: [number, number]; declare dilationRate: [number, number]; declare padding: 'valid' | 'same';
  declare kernelSize: [number, number]; declare depthMultiplier: number;

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      let y: tf.Tensor = tf.depthwiseConv2d(x, this.depthwiseKernel.read(), this.strides, this.padding, 'NHWC', this.dilationRate);
      if (this.useBias) y = tf.add(y, this.bias.read());
      if (this.activation != null) y = this.activation.apply(y);
      return y;
    });
  }

  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;
    const size = (n: number | null, a: 0 | 1) => {
      if (n == null) return null;
      const extent = this.dilationRate[a] * (this.kernelSize[a] - 1) + 1;
      return this.padding === 'same' ? Math.ceil(n / this.strides[a]) : Math.floor((n - extent) / this.strides[a]) + 1;
    };
    return [shape[0], size(shape[1], 0), size(shape[2], 1), (shape[3] as number) * this.depthMultiplier];
  }
}

/** Local response normalization across channels, `tf.localResponseNormalization` (TensorFlow's alpha). */
export class LocalResponseNorm extends tf.layers.Layer {
  static className = 'ConvasLRN';
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;
  constructor(args: { depthRadius: number; bias: number; alpha: number; beta: number; name?: string }) {
    super({ name: args.name });
    this.depthRadius = args.depthRadius;
    this.bias = args.bias;
    this.alpha = args.alpha;
    this.beta = args.beta;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return s as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.localResponseNormalization(x, this.depthRadius, this.bias, this.alpha, this.beta);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta };
  }
}

tf.serialization.registerClass(ConstantPad2d);
tf.serialization.registerClass(ChannelSlice);
tf.serialization.registerClass(LocalResponseNorm);
tf.serialization.registerClass(PoolCountScale);
tf.serialization.registerClass(DepthwiseConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
