/**
 * A model.json opened with its .bin files: its weights (by tfjs weight name) go through the run worker, which puts
 * them into the compiled design and reads each node's back, and become the open design's trained weights, named by
 * the model.json's file. Runs after the design has opened (compiling a large model takes a moment); weights that
 * arrive after the design was edited or replaced are not taken, and the notice says so.
 */

import type { LoadedWeights } from '../../../drivers/compile/model-json.ts';
import type { EditorStore } from '../../store/editor-store.ts';
import { openedWithWeights } from '../trained-weights-text.ts';
import { RunClient } from './run-client.ts';

/** Reads `weights` into node weights for the store's design as it is now, and hands them to the store. */
export async function takeModelWeights(store: EditorStore, weights: LoadedWeights): Promise<void> {
  const design = store.getState().design;
  const client = new RunClient();
  try {
    const byNode = await client.nodeWeights(design, { specs: weights.specs, data: weights.data, fileName: weights.modelFile });
    if (store.getState().design !== design) {
      store.getState().notify('info', `The weights of ${weights.modelFile} were not taken: the design changed while they were read. Open it again to use them.`);
      return;
    }
    const trained = { source: weights.modelFile, byNode };
    store.getState().setTrainedWeights(trained);
    store.getState().notify('info', openedWithWeights(trained));
  } catch (e) {
    store.getState().notify('error', `Opened ${weights.modelFile}, but its weights do not fit it: ${(e as Error).message}`);
  } finally {
    client.dispose();
  }
}
