/**
 * The tfjs export's round trip that the kinds' every-backend tests (src/drivers/import/*-kind.test.ts) each make:
 * compile a design with seeded weights, write it as a tfjs Layers model (model.json and its weights), load that in
 * stock tfjs, read it back through the Keras import, and run all three on one seeded input. The tests then say what
 * the saved layers must look like and that every output is the same.
 */

import type { Design } from '../../src/engine/index.ts';
import { compileDesign, tf } from '../../src/drivers/compile/index.ts';
import type { CompileOptions } from '../../src/drivers/compile/index.ts';
import { loadWeightsInto } from '../../src/drivers/compile/load-weights.ts';
import type { ModelJson } from '../../src/drivers/compile/model-json.ts';
import { serializeLayersModel } from '../../src/drivers/compile/serialize.ts';
import { importKeras } from '../../src/drivers/import/keras-import.ts';

/** One layer as model.json saves it. */
export interface SavedLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
}

export interface TfjsRoundTrip {
  /** the exported model.json */
  json: ModelJson;
  /** a saved layer by name (throws when there is none) */
  layer(name: string): SavedLayer;
  /** the compiled model's outputs on the seeded input, each flattened */
  want: number[][];
  /** the same input through the model stock tfjs loads from the export */
  reloaded: number[][];
  /** the design the Keras import reads back from the export */
  back: Design;
  /** `back` compiled with another seed (999) and given the exported weights: the numbers must come from the file */
  again: number[][];
}

/**
 * The round trip of `design` through the tfjs export, on one input of shape `[1, ...inputShape]` drawn uniform in
 * [−1, 1) with `inputSeed`; every model and tensor it makes is disposed.
 * @param options the compile options of the weights written (`seed`, `init`)
 */
export async function tfjsRoundTrip(
  design: Design, options: Pick<CompileOptions, 'seed' | 'init'> & { inputShape: number[]; inputSeed: number },
): Promise<TfjsRoundTrip> {
  const compiled = compileDesign(design, { seed: options.seed, init: options.init });
  const { modelJson, weights } = await serializeLayersModel(compiled.model, 'weights.bin');
  const json = JSON.parse(modelJson) as ModelJson;
  const x = tf.randomUniform([1, ...options.inputShape], -1, 1, 'float32', options.inputSeed);
  const flat = (m: tf.LayersModel) => {
    const ys = m.predict(x) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(ys) ? ys : [ys];
    const out = list.map((t) => Array.from(t.dataSync()));
    tf.dispose(list);
    return out;
  };
  try {
    const want = flat(compiled.model);
    compiled.model.dispose();
    const specs = json.weightsManifest[0].weights;
    const reloadedModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: weights }));
    const reloaded = flat(reloadedModel);
    reloadedModel.dispose();
    const back = importKeras(json);
    const againModel = compileDesign(back, { seed: 999 }).model;
    loadWeightsInto(againModel, { specs, data: weights, fileName: 'model.json' });
    const again = flat(againModel);
    againModel.dispose();
    const layers = (json.modelTopology as { config: { layers: SavedLayer[] } }).config.layers;
    const layer = (name: string) => {
      const l = layers.find((s) => s.name === name);
      if (!l) throw new Error(`no layer '${name}' in the exported model.json`);
      return l;
    };
    return { json, layer, want, reloaded, back, again };
  } finally {
    x.dispose();
  }
}
