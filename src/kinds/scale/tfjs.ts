/**
 * tfjs rule of `scale`: `ConvasScale`, a layer of one weight `gamma` [C] multiplied into the last axis (tfjs has no
 * layer scale of its own). It is registered for (de)serialization, so the tfjs export reloads, and its config
 * (`init_value` once tfjs writes it in snake case) reads back through the kind's Keras rule.
 */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

type Kwargs = Record<string, unknown>;

/** `y[…, c] = x[…, c] · gamma[c]` over the last axis of `[B, H, W, C]` or `[B, N]`; gamma starts at `initValue`. */
export class LayerScale extends tf.layers.Layer {
  static className = 'ConvasScale';
  readonly initValue: number;
  private gamma: tf.LayerVariable | null = null;
  constructor(args: { initValue: number; name?: string }) {
    super({ name: args.name });
    this.initValue = args.initValue;
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (c == null) throw new Error(`${this.name}: the channels of its input are unknown`);
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.constant({ value: this.initValue }));
    this.built = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return s as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.mul(x, this.gamma!.read()));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), initValue: this.initValue };
  }
}
tf.serialization.registerClass(LayerScale);

export const scaleTfjs: TfjsRuleOf<'scale'> = {
  compile(ctx) {
    const layer = new LayerScale({ initValue: ctx.params.initValue, name: ctx.name });
    ctx.assign(layer, (w) => [w.gamma]);
    return apply(layer, ctx.inputs[0]);
  },
  readWeights(ctx) {
    const [gamma] = ctx.own();
    return { gamma };
  },
  memory: NO_MEMORY_TERMS,
};
