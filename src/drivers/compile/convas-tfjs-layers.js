/*
 * convas-tfjs-layers.js: the layer classes a Convas tfjs export may use that stock TensorFlow.js 4.22 lacks or
 * computes otherwise. Convas writes this file beside model.json when the model needs it. Plain JavaScript, no build
 * step; load it after tfjs and before tf.loadLayersModel:
 *
 *   browser:  <script src="tf.min.js"></script> <script src="convas-tfjs-layers.js"></script>
 *   Node:     require('./convas-tfjs-layers.js') (it requires '@tensorflow/tfjs'), or with tfjs already loaded:
 *             globalThis.tf = tf; await import('./convas-tfjs-layers.js')
 *
 * It registers, with tf.serialization.registerClass:
 * - ConvasConstantPad2d: pads height and width with a constant (−∞ before a max pool, as PyTorch pads it);
 * - ConvasChannelSlice: channels [begin, begin + size) of the last axis (grouped convolutions, channel splits);
 * - ConvasPoolCountScale: an average pool's per-row and per-column rescale (PyTorch's ceil-mode divisor);
 * - ConvasLRN: local response normalization across channels (tf.localResponseNormalization);
 * - ConvasScale: a per-channel scale with one weight, gamma;
 * - ConvasConv2DTranspose: a transposed convolution with PyTorch's explicit crop and output padding;
 * - the activations convasHardSigmoid, relu6(x + 3) / 6, and convasHardSwish, x · relu6(x + 3) / 6 (PyTorch's;
 *   tfjs's own hard_sigmoid is 0.2·x + 0.5);
 * and puts mended classes in place of four of tfjs's own, which read these settings from model.json but ignore them
 * (Keras honours them):
 * - DepthwiseConv2D: its dilation_rate;
 * - UpSampling2D: half-pixel centres (TensorFlow 2's and PyTorch's resize; tfjs 4.22 uses TensorFlow 1's rule);
 * - GlobalAveragePooling2D, GlobalMaxPooling2D: keepdims (Convas writes its own kept-dims pools as the pool and a
 *   Reshape, which need nothing here; this is for Keras files).
 * Convas's own copies of these classes are in its source (src/backends/tfjs-layers.ts and src/kinds/<kind>/tfjs.ts);
 * a test loads every export with stock tfjs and this file and checks that it computes what Convas computes.
 */
(function (factory) {
  // the tfjs already loaded (a global tf) first: a second copy of tfjs would keep its own class registry
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script: CommonJS where there is no global tf
  var tf = globalThis.tf || (typeof require === 'function' ? require('@tensorflow/tfjs') : undefined);
  var classes = factory(tf);
  if (typeof module === 'object' && module && module.exports) module.exports = classes;
})(function (tf) {
  'use strict';
  if (!tf || !tf.layers || !tf.serialization) throw new Error('convas-tfjs-layers.js: load TensorFlow.js (4.22) first');
  var first = function (x) { return Array.isArray(x) ? x[0] : x; };
  var shapeOf = function (s) { return Array.isArray(s[0]) ? s[0] : s; };
  var register = function (cls) { tf.serialization.registerClass(cls); return cls; };
  var classOf = function (layer) { return Object.getPrototypeOf(layer).constructor; };

  class ConvasConstantPad2d extends tf.layers.Layer {
    constructor(args) {
      super({ name: args.name });
      this.padding = args.padding;
      this.value = args.value === undefined ? -Infinity : Number(args.value);
    }
    computeOutputShape(s) {
      var p = this.padding;
      return [s[0], s[1] == null ? null : s[1] + p[0][0] + p[0][1], s[2] == null ? null : s[2] + p[1][0] + p[1][1], s[3]];
    }
    call(inputs) {
      var x = first(inputs);
      return tf.pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]], this.value);
    }
    getConfig() {
      return Object.assign(super.getConfig(), { padding: this.padding, value: Number.isFinite(this.value) ? this.value : String(this.value) });
    }
  }
  ConvasConstantPad2d.className = 'ConvasConstantPad2d';

  class ConvasChannelSlice extends tf.layers.Layer {
    constructor(args) {
      super({ name: args.name });
      this.begin = args.begin;
      this.size = args.size;
    }
    computeOutputShape(s) { return s.slice(0, -1).concat([this.size]); }
    call(inputs) {
      var x = first(inputs);
      var last = x.rank - 1;
      return tf.slice(x, x.shape.map((_, i) => (i === last ? this.begin : 0)), x.shape.map((d, i) => (i === last ? this.size : d)));
    }
    getConfig() { return Object.assign(super.getConfig(), { begin: this.begin, size: this.size }); }
  }
  ConvasChannelSlice.className = 'ConvasChannelSlice';

  class ConvasPoolCountScale extends tf.layers.Layer {
    constructor(args) {
      super({ name: args.name });
      this.rows = args.rows;
      this.cols = args.cols;
    }
    computeOutputShape(s) { return s; }
    call(inputs) {
      var x = first(inputs);
      return tf.tidy(() => tf.mul(x, tf.mul(tf.tensor(this.rows, [this.rows.length, 1, 1]), tf.tensor(this.cols, [1, this.cols.length, 1]))));
    }
    getConfig() { return Object.assign(super.getConfig(), { rows: this.rows, cols: this.cols }); }
  }
  ConvasPoolCountScale.className = 'ConvasPoolCountScale';

  class ConvasLRN extends tf.layers.Layer {
    constructor(args) {
      super({ name: args.name });
      this.depthRadius = args.depthRadius;
      this.bias = args.bias;
      this.alpha = args.alpha;
      this.beta = args.beta;
    }
    computeOutputShape(s) { return s; }
    call(inputs) { return tf.localResponseNormalization(first(inputs), this.depthRadius, this.bias, this.alpha, this.beta); }
    getConfig() {
      return Object.assign(super.getConfig(), { depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta });
    }
  }
  ConvasLRN.className = 'ConvasLRN';

  class ConvasScale extends tf.layers.Layer {
    constructor(args) {
      super({ name: args.name });
      this.initValue = args.initValue;
      this.gamma = null;
    }
    build(inputShape) {
      var s = shapeOf(inputShape);
      this.gamma = this.addWeight('gamma', [s[s.length - 1]], 'float32', tf.initializers.constant({ value: this.initValue }));
      this.built = true;
    }
    computeOutputShape(s) { return s; }
    call(inputs) {
      var x = first(inputs);
      var g = this.gamma;
      return tf.tidy(function () { return tf.mul(x, g.read()); });
    }
    getConfig() { return Object.assign(super.getConfig(), { initValue: this.initValue }); }
  }
  ConvasScale.className = 'ConvasScale';

  // One axis of a transposed convolution: the full output ((in − 1)·s + k), the rows cropped before, the output's length.
  var transposedAxis = function (size, kernel, stride, padding, outputPadding) {
    var full = (size - 1) * stride + kernel;
    return { full: full, crop: padding, out: full - 2 * padding + outputPadding };
  };

  class ConvasConv2DTranspose extends tf.layers.Layer {
    constructor(args) {
      super({ name: args.name });
      this.filters = args.filters;
      this.kernelSize = args.kernelSize;
      this.strides = args.strides;
      this.padding = args.padding;
      this.outputPadding = args.outputPadding;
      this.useBias = args.useBias;
      this.activationName = args.activation;
      this.activationLayer = tf.layers.activation({ activation: args.activation });
      this.kernel = null;
      this.biasWeight = null;
    }
    axes(h, w) {
      var pad = this.padding === 'valid' ? [0, 0] : this.padding;
      return [
        transposedAxis(h, this.kernelSize[0], this.strides[0], pad[0], this.outputPadding[0]),
        transposedAxis(w, this.kernelSize[1], this.strides[1], pad[1], this.outputPadding[1]),
      ];
    }
    build(inputShape) {
      var s = shapeOf(inputShape);
      this.kernel = this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], this.filters, s[3]], 'float32', tf.initializers.zeros());
      if (this.useBias) this.biasWeight = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
      this.built = true;
    }
    computeOutputShape(s) {
      var shape = shapeOf(s);
      var a = this.axes(shape[1], shape[2]);
      return [shape[0], a[0].out, a[1].out, this.filters];
    }
    call(inputs) {
      var x = first(inputs);
      return tf.tidy(() => {
        var b = x.shape[0];
        var a = this.axes(x.shape[1], x.shape[2]);
        var full = tf.conv2dTranspose(x, this.kernel.read(), [b, a[0].full, a[1].full, this.filters], this.strides, 'valid');
        var extend = function (ax) { return Math.max(ax.crop + ax.out - ax.full, 0); };
        var extended = extend(a[0]) + extend(a[1]) > 0 ? tf.pad(full, [[0, 0], [0, extend(a[0])], [0, extend(a[1])], [0, 0]]) : full;
        var y = tf.slice(extended, [0, a[0].crop, a[1].crop, 0], [b, a[0].out, a[1].out, this.filters]);
        if (this.biasWeight) y = tf.add(y, this.biasWeight.read());
        return this.activationLayer.apply(y);
      });
    }
    getConfig() {
      return Object.assign(super.getConfig(), {
        filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
        outputPadding: this.outputPadding, useBias: this.useBias, activation: this.activationName,
      });
    }
  }
  ConvasConv2DTranspose.className = 'ConvasConv2DTranspose';

  class ConvasHardSigmoid extends tf.serialization.Serializable {
    apply(x) { return tf.tidy(function () { return tf.div(tf.relu6(tf.add(x, 3)), 6); }); }
    getConfig() { return {}; }
  }
  ConvasHardSigmoid.className = 'convasHardSigmoid';

  class ConvasHardSwish extends tf.serialization.Serializable {
    apply(x) { return tf.tidy(function () { return tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6); }); }
    getConfig() { return {}; }
  }
  ConvasHardSwish.className = 'convasHardSwish';

  // tfjs 4.22's DepthwiseConv2D keeps dilation_rate in its config but calls the op and sizes the output without it.
  class DepthwiseConv2D extends classOf(tf.layers.depthwiseConv2d({ kernelSize: 1 })) {
    call(inputs) {
      return tf.tidy(() => {
        var y = tf.depthwiseConv2d(first(inputs), this.depthwiseKernel.read(), this.strides, this.padding, 'NHWC', this.dilationRate);
        if (this.useBias) y = tf.add(y, this.bias.read());
        if (this.activation != null) y = this.activation.apply(y);
        return y;
      });
    }
    computeOutputShape(s) {
      var shape = shapeOf(s);
      var size = (n, a) => {
        if (n == null) return null;
        var extent = this.dilationRate[a] * (this.kernelSize[a] - 1) + 1;
        return this.padding === 'same' ? Math.ceil(n / this.strides[a]) : Math.floor((n - extent) / this.strides[a]) + 1;
      };
      return [shape[0], size(shape[1], 0), size(shape[2], 1), shape[3] * this.depthMultiplier];
    }
  }
  DepthwiseConv2D.className = 'DepthwiseConv2D';

  // tfjs 4.22's UpSampling2D resizes without half-pixel centres (TensorFlow 1's rule); Keras and PyTorch use them.
  class UpSampling2D extends classOf(tf.layers.upSampling2d({})) {
    call(inputs) {
      return tf.tidy(() => {
        var x = first(inputs);
        var size = [x.shape[1] * this.size[0], x.shape[2] * this.size[1]];
        return this.interpolation === 'nearest'
          ? tf.image.resizeNearestNeighbor(x, size, false, true)
          : tf.image.resizeBilinear(x, size, false, true);
      });
    }
  }
  UpSampling2D.className = 'UpSampling2D';

  // tfjs 4.22's global pools have no keepdims (Keras's have, since 2.6).
  var keepingDims = function (base, className) {
    class KeepDims extends base {
      constructor(args) {
        super(args);
        this.keepdims = !!args.keepdims;
      }
      computeOutputShape(s) {
        var flat = super.computeOutputShape(s);
        return this.keepdims ? [flat[0], 1, 1, flat[1]] : flat;
      }
      call(inputs, kwargs) {
        var y = super.call(inputs, kwargs);
        if (!this.keepdims) return y;
        return tf.tidy(function () { return tf.reshape(y, [y.shape[0], 1, 1, y.shape[1]]); });
      }
      getConfig() {
        var config = super.getConfig();
        return this.keepdims ? Object.assign(config, { keepdims: true }) : config;
      }
    }
    KeepDims.className = className;
    return KeepDims;
  };
  var GlobalAveragePooling2D = keepingDims(classOf(tf.layers.globalAveragePooling2d({})), 'GlobalAveragePooling2D');
  var GlobalMaxPooling2D = keepingDims(classOf(tf.layers.globalMaxPooling2d({})), 'GlobalMaxPooling2D');

  var classes = {
    ConvasConstantPad2d: ConvasConstantPad2d, ConvasChannelSlice: ConvasChannelSlice, ConvasPoolCountScale: ConvasPoolCountScale,
    ConvasLRN: ConvasLRN, ConvasScale: ConvasScale, ConvasConv2DTranspose: ConvasConv2DTranspose,
    ConvasHardSigmoid: ConvasHardSigmoid, ConvasHardSwish: ConvasHardSwish, DepthwiseConv2D: DepthwiseConv2D,
    UpSampling2D: UpSampling2D, GlobalAveragePooling2D: GlobalAveragePooling2D, GlobalMaxPooling2D: GlobalMaxPooling2D,
  };
  Object.keys(classes).forEach(function (k) { register(classes[k]); });
  return classes;
});
