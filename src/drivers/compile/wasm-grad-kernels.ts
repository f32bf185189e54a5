/**
 * Gradient kernels for tfjs 4.22's wasm backend, which the effective field (erf.ts) needs there, the Run tab's
 * default backend and `convas erf`'s. Two are missing ("Kernel … not registered for backend 'wasm'"), so the field
 * fails for any design with a depthwise conv (MobileNet, Xception, EfficientNet) or a conv with no activation (one
 * before a batch norm: ResNet): `DepthwiseConv2dNativeBackpropInput`, the input gradient of a depthwise conv, and
 * `Conv2DBackpropFilter`, a conv's weight gradient, which the effective field does not read but tfjs's fused conv
 * computes with the input gradient whenever the conv has no activation (its gradient returns both). One is wrong:
 * wasm's `MaxPoolGrad` loses windows' gradients: a 2×2 pool on 12×12×4 keeps 86 of its 144 windows' gradients
 * on sin-valued inputs and 1 of 144 on all-negative ones (the cpu backend keeps all 144), and a strided conv then a
 * pool gave an effective-field map at cosine 0.88 from the cpu backend's, so it is replaced. Each sums the same terms as tfjs-backend-cpu's kernel of the same name (the max pool's first largest
 * value of a window, as PyTorch takes it), so the two backends agree. Browser-safe.
 */

import * as tf from '@tensorflow/tfjs';

/** The geometry of one convolution, as tfjs's `computeConv2DInfo` gives it (dilation 1). */
export interface ConvGeometry {
  batchSize: number; inHeight: number; inWidth: number; inChannels: number;
  outHeight: number; outWidth: number; outChannels: number;
  filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number;
  padInfo: { top: number; left: number };
}

/**
 * dx (`[N, H, W, C]`, row-major) of a depthwise conv from dy (`[N, Ho, Wo, C·M]`) and its filter
 * (`[kh, kw, C, M]`): dx[n, r, c, ch] = Σ over the windows that read (r, c) of dy · the tap that read it. Dilation
 * must be 1 (the dilated case reaches here zero-stuffed, erf.ts).
 */
export function depthwiseInputGradient(dy: Float32Array, filter: Float32Array, g: ConvGeometry): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = g;
  const chMul = outChannels / inChannels;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  const [dyS0, dyS1, dyS2] = [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels];
  const [fS0, fS1, fS2] = [filterWidth * inChannels * chMul, inChannels * chMul, chMul];
  const [dxS0, dxS1, dxS2] = [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels];
  // the window's corner, in input rows, of the flipped kernel: the transposed convolution's padding
  const topPad = filterHeight - 1 - g.padInfo.top;
  const leftPad = filterWidth - 1 - g.padInfo.left;
  for (let b = 0; b < batchSize; ++b) {
    for (let d1 = 0; d1 < inChannels; ++d1) {
      for (let xR = 0; xR < inHeight; ++xR) {
        const xRCorner = xR - topPad;
        const yRMin = Math.max(0, Math.ceil(xRCorner / strideHeight));
        const yRMax = Math.min(outHeight, (filterHeight + xRCorner) / strideHeight);
        for (let xC = 0; xC < inWidth; ++xC) {
          const xCCorner = xC - leftPad;
          const yCMin = Math.max(0, Math.ceil(xCCorner / strideWidth));
          const yCMax = Math.min(outWidth, (filterWidth + xCCorner) / strideWidth);
          let dot = 0;
          for (let yR = yRMin; yR < yRMax; ++yR) {
            const wR = yR * strideHeight - xRCorner;
            for (let yC = yCMin; yC < yCMax; ++yC) {
              const wC = yC * strideWidth - xCCorner;
              const dyOffset = dyS0 * b + dyS1 * yR + dyS2 * yC;
              const fOffset = fS0 * (filterHeight - 1 - wR) + fS1 * (filterWidth - 1 - wC) + fS2 * d1;
              for (let dm = 0; dm < chMul; ++dm) dot += dy[dyOffset + d1 * chMul + dm] * filter[fOffset + dm];
            }
          }
          dx[dxS0 * b + dxS1 * xR + dxS2 * xC + d1] = dot;
        }
      }
    }
  }
  return dx;
}

/**
 * dW (`[kh, kw, Ci, Co]`) of a conv from its input x (`[N, H, W, Ci]`) and dy (`[N, Ho, Wo, Co]`): dW[i, j, ci, co]
 * = Σ over the output positions of the input value tap (i, j) read there · dy. Channels last, dilation 1.
 */
export function convFilterGradient(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co, filterHeight, filterWidth, strideHeight, strideWidth } = g;
  const { top, left } = g.padInfo;
  const dW = new Float32Array(filterHeight * filterWidth * ci * co);
  // output position by output position: the innermost loop runs along Co, contiguous in dW and dy
  for (let b = 0; b < batchSize; ++b) {
    for (let yR = 0; yR < outHeight; ++yR) {
      for (let yC = 0; yC < outWidth; ++yC) {
        const dyOffset = ((b * outHeight + yR) * outWidth + yC) * co;
        for (let wR = 0; wR < filterHeight; ++wR) {
          const xR = yR * strideHeight - top + wR;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; ++wC) {
            const xC = yC * strideWidth - left + wC;
            if (xC < 0 || xC >= inWidth) continue;
            const xOffset = ((b * inHeight + xR) * inWidth + xC) * ci;
            const wOffset = (wR * filterWidth + wC) * ci * co;
            for (let d1 = 0; d1 < ci; ++d1) {
              const v = x[xOffset + d1];
              if (v === 0) continue;
              const row = wOffset + d1 * co;
              for (let d2 = 0; d2 < co; ++d2) dW[row + d2] += v * dy[dyOffset + d2];
            }
          }
        }
      }
    }
  }
  return dW;
}

/** The part of tfjs's wasm backend the kernel uses (read a tensor, make one). */
interface WasmBackendLike {
  readSync(dataId: object): unknown;
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
}

/**
 * dx (`[N, H, W, C]`) of a max pool from its input x and dy (`[N, Ho, Wo, C]`): each window's dy goes to the
 * window's first largest input (row by row, cells outside the input skipped), summed where windows overlap.
 */
export function maxPoolInputGradient(x: Float32Array, dy: Float32Array, g: PoolGeometry): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth, effectiveFilterHeight: kh, effectiveFilterWidth: kw, dilationHeight, dilationWidth } = g;
  const { top, left } = g.padInfo;
  const dx = new Float32Array(x.length);
  for (let b = 0; b < batchSize; ++b) {
    for (let yR = 0; yR < outHeight; ++yR) {
      for (let yC = 0; yC < outWidth; ++yC) {
        for (let d = 0; d < c; ++d) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let wR = 0; wR < kh; wR += dilationHeight) {
            const xR = yR * strideHeight - top + wR;
            if (xR < 0 || xR >= inHeight) continue;
            for (let wC = 0; wC < kw; wC += dilationWidth) {
              const xC = yC * strideWidth - left + wC;
              if (xC < 0 || xC >= inWidth) continue;
              const i = ((b * inHeight + xR) * inWidth + xC) * c + d;
              if (x[i] > best) { best = x[i]; at = i; }
            }
          }
          if (at >= 0) dx[at] += dy[((b * outHeight + yR) * outWidth + yC) * c + d];
        }
      }
    }
  }
  return dx;
}

/** The pool geometry tfjs's `computePool2DInfo` gives. */
export type PoolGeometry = ConvGeometry & { effectiveFilterHeight: number; effectiveFilterWidth: number; dilationHeight: number; dilationWidth: number };

const maxPoolGradFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const g = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const wasm = backend as unknown as WasmBackendLike;
  const values = maxPoolInputGradient(wasm.readSync(input.dataId) as Float32Array, wasm.readSync(dy.dataId) as Float32Array, g);
  return wasm.makeOutput(input.shape, 'float32', undefined, values);
};

/**
 * Registers the kernels for 'wasm': the two missing ones where tfjs has none (a later tfjs that has its own keeps
 * its own), and the max pool's in place of tfjs's. Called before each gradient: importing the wasm backend
 * registers its own `MaxPoolGrad` again, so this checks which one is registered.
 */
export function installWasmGradKernels(): void {
  installDepthwiseInput();
  installConvFilter();
  const k = tf.getKernel('MaxPoolGrad', 'wasm');
  if (k?.kernelFunc === maxPoolGradFunc) return;
  if (k) tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradFunc });
}

function installConvFilter(): void {
  const name = 'Conv2DBackpropFilter';
  if (tf.getKernel(name, 'wasm')) return;
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number]; pad: 'valid' | 'same' | number; dataFormat?: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW') throw new Error(`${name} on wasm takes channels-last tensors`);
      const g = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
      const wasm = backend as unknown as WasmBackendLike;
      const values = convFilterGradient(wasm.readSync(x.dataId) as Float32Array, wasm.readSync(dy.dataId) as Float32Array, g);
      return wasm.makeOutput(g.filterShape, 'float32', undefined, values);
    },
  });
}

function installDepthwiseInput(): void {
  const name = 'DepthwiseConv2dNativeBackpropInput';
  if (tf.getKernel(name, 'wasm')) return;
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as {
        strides: [number, number]; dilations: [number, number] | number; pad: 'valid' | 'same' | number;
        dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
      };
      const dil = Array.isArray(dilations) ? dilations : [dilations ?? 1, dilations ?? 1];
      if (dil[0] !== 1 || dil[1] !== 1) throw new Error(`${name} on wasm takes dilation 1 (got ${dil.join('×')})`);
      const g = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, true);
      const wasm = backend as unknown as WasmBackendLike;
      const values = depthwiseInputGradient(
        wasm.readSync(dy.dataId) as Float32Array,
        wasm.readSync(filter.dataId) as Float32Array,
        g,
      );
      return wasm.makeOutput(g.inShape, 'float32', undefined, values);
    },
  });
}
