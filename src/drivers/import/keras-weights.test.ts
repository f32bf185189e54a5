/**
 * Issue 23 item 2: the weights manifest against the design the Keras import builds. The models are saved by stock
 * tfjs 4.22 itself (`model.save` through an io handler; this file loads none of Convas's tfjs code, so tfjs's own
 * `SeparableConv2D.getConfig` writes the config, without `depth_multiplier`), and tfjs's own `countParams()` is the
 * reference count.
 */

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../engine/index.ts';
import { importKeras } from './keras-import.ts';
import { manifestWeights, recoverFromManifest } from './keras-weights.ts';

type Saved = { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }; weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What `model.save` writes as model.json (its topology and manifest), through an io handler in memory. */
async function saveWithTfjs(model: tf.LayersModel): Promise<Saved> {
  let saved: Saved | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = { modelTopology: a.modelTopology as Saved['modelTopology'], weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs as Saved['weightsManifest'][0]['weights'] }] };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return JSON.parse(JSON.stringify(saved)) as Saved;
}

/** tensorflow/tfjs#6083's model: a 5×5 separable conv with depth multiplier 6 on a 5×5×3 input, then a dense head. */
function issue6083(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.separableConv2d({ inputShape: [5, 5, 3], filters: 8, kernelSize: 5, depthMultiplier: 6, name: 'sep' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 2, name: 'fc' }));
  return model;
}

const clone = (s: Saved) => JSON.parse(JSON.stringify(s)) as Saved;
const weight = (s: Saved, name: string) => s.weightsManifest[0].weights.find((w) => w.name === name)!;

describe('the weights manifest proves what a tfjs config leaves out', () => {
  it('tensorflow/tfjs#6083: tfjs saves no depth_multiplier, the manifest\'s depthwise_kernel [5, 5, 3, 6] does: 620 params, not 125', async () => {
    const model = issue6083();
    const saved = await saveWithTfjs(model);
    const sep = saved.modelTopology.config.layers.find((l) => l.class_name === 'SeparableConv2D')!;
    expect(sep.config.depth_multiplier).toBeUndefined(); // tfjs's fault, as the issue reports it
    expect(weight(saved, 'sep/depthwise_kernel').shape).toEqual([5, 5, 3, 6]);
    const design = importKeras(saved);
    expect(design.nodes.find((n) => n.id === 'sep')!.params).toMatchObject({ depthMultiplier: 6 });
    const a = analyze(design);
    expect(a.errors).toEqual([]);
    expect(a.totals.params).toBe(model.countParams());
    expect(a.totals.params).toBe(620);
    // the topology alone still reads as tfjs wrote it: depth multiplier 1, 125 params
    expect(analyze(importKeras({ modelTopology: saved.modelTopology })).totals.params).toBe(125);
    model.dispose();
  });

  it('a depthwise conv whose config leaves out depth_multiplier takes it from the kernel; one that states it is not overridden', async () => {
    const model = tf.sequential();
    model.add(tf.layers.depthwiseConv2d({ inputShape: [6, 6, 2], kernelSize: 3, depthMultiplier: 4, name: 'dw' }));
    const saved = await saveWithTfjs(model);
    const stated = clone(saved);
    const silent = clone(saved);
    delete silent.modelTopology.config.layers.find((l) => l.class_name === 'DepthwiseConv2D')!.config.depth_multiplier;
    for (const s of [stated, silent]) expect(analyze(importKeras(s)).totals.params).toBe(model.countParams());
    const layers = [{ name: 'dw', className: 'DepthwiseConv2D', config: { depth_multiplier: 2 } as Record<string, unknown> }];
    expect(recoverFromManifest(layers, manifestWeights(saved)!)).toEqual([]);
    expect(layers[0].config.depth_multiplier).toBe(2);
    model.dispose();
  });
});

describe('weights that do not fit the design are refused by layer name', () => {
  it('a kernel of another shape, a weight of no layer, a layer without its weights', async () => {
    const model = issue6083();
    const saved = await saveWithTfjs(model);
    const wrongKernel = clone(saved);
    weight(wrongKernel, 'fc/kernel').shape = [8, 3];
    expect(() => importKeras(wrongKernel)).toThrow("layer 'fc' (Dense): the weights manifest gives kernel [8, 3], bias [2], but its config makes kernel [8, 2], bias [2]: the weights do not fit the layer");
    // a separable conv whose config states depth multiplier 2 against a [5, 5, 3, 6] kernel
    const stated = clone(saved);
    stated.modelTopology.config.layers.find((l) => l.class_name === 'SeparableConv2D')!.config.depth_multiplier = 2;
    expect(() => importKeras(stated)).toThrow(/^layer 'sep' \(SeparableConv2D\): the weights manifest gives .*depthwise_kernel \[5, 5, 3, 6\]/);
    const extra = clone(saved);
    extra.weightsManifest[0].weights.push({ name: 'ghost/kernel', shape: [2, 2], dtype: 'float32' });
    expect(() => importKeras(extra)).toThrow("the weights manifest holds ghost/kernel [2, 2], but the model has no layer 'ghost'");
    const missing = clone(saved);
    missing.weightsManifest[0].weights = missing.weightsManifest[0].weights.filter((w) => !w.name.startsWith('fc/'));
    expect(() => importKeras(missing)).toThrow("layer 'fc' (Dense): the weights manifest has none of its weights (its config makes kernel [8, 2], bias [2])");
    model.dispose();
  });

  it('refuses a manifest that is not a list of named, shaped weights', () => {
    expect(() => manifestWeights({ weightsManifest: {} })).toThrow("field 'weightsManifest': expected a list of weight groups");
    expect(() => manifestWeights({ weightsManifest: [{ paths: [], weights: [{ name: 'a/b', shape: [-1] }] }] })).toThrow("field 'weightsManifest.0.weights.0': a weight needs a name and a shape of whole numbers");
    expect(manifestWeights({ modelTopology: {} })).toBeNull();
  });
});
