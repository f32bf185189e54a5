/**
 * The weights slice of the editor store: the trained weights that came with an imported model (an ONNX file's,
 * or a tfjs model.json's with its .bin files), which the Run tab and the exports use instead of the seeded ones.
 * They live here, in the tab's memory, never in the design file (designs hold no weights).
 *
 * Which of them still apply is derived, not stored: each node's weights were read for its kind, its params and
 * its inputs' shapes (`fitKey`); after every change of the design the weights whose node still has the same key
 * are in use, the others dropped (that layer runs and exports with seeded weights). So an edit of one layer drops
 * only that layer's (and those of the layers whose input shape it changed), and undo, which brings the layer back
 * as it was, brings its weights back too. The slice writes only its own fields; what it has to say about an edit
 * (`said`) the composer puts on the notice line.
 */

import { getLayerKind, validateParams, type Design, type DesignNode, type NodeAnalysis } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import type { EditorState, Slice, StoreEvent, TrainedWeights, WeightsActions, WeightsState } from './state.ts';

/**
 * What a node's weights depend on, as one string: its kind, its params (in the schema's order, defaults filled, so
 * an inspector that writes every field does not count as a change) and its inputs' shapes.
 */
export function fitKey(node: DesignNode, analysis: NodeAnalysis | undefined): string {
  const schema = getLayerKind(node.kind)?.params;
  const params = (schema && validateParams(schema, node.params).params) ?? node.params;
  return JSON.stringify([node.kind, params, analysis?.inputShapes ?? null]);
}

const NONE: Pick<WeightsState, 'trained' | 'weightsInUse' | 'weightsDropped'> = { trained: null, weightsInUse: null, weightsDropped: [] };

/** The trained weights that fit `design` now, and the node ids whose weights do not. */
function fitting(trained: NonNullable<WeightsState['trained']>, design: Design, nodeAnalysis: Record<string, NodeAnalysis>) {
  const nodes = new Map(design.nodes.map((n) => [n.id, n]));
  const inUse = new Map<string, NodeWeights>();
  const dropped: string[] = [];
  for (const [id, key] of trained.fitFor) {
    const node = nodes.get(id);
    if (node && fitKey(node, nodeAnalysis[id]) === key) inUse.set(id, trained.byNode.get(id)!);
    else dropped.push(id);
  }
  return { inUse, dropped };
}

/** "conv1", "conv1 and conv2", "conv1, conv2 and 3 more layers" */
function layerList(ids: string[], design: Design): string {
  const named = ids.map((id) => design.nodes.find((n) => n.id === id)?.name ?? id);
  if (named.length === 1) return named[0];
  if (named.length <= 3) return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `${named.slice(0, 2).join(', ')} and ${named.length - 2} more layers`;
}

/**
 * What the weights fields become after `event`, and what to tell the person (`said`, for the notice line):
 * another design opened forgets the trained weights (they belong to the model they came with); any other change
 * of the design re-derives which weights fit, saying which layers lost theirs (an edit) or got them back (undo).
 * `nodeAnalysis` is the design's analysis after the event.
 */
export function weightsAfter(
  event: StoreEvent, s: WeightsState, nodeAnalysis: Record<string, NodeAnalysis> | undefined,
): { fields: Partial<WeightsState>; said?: string } {
  if (event.type === 'advice') return { fields: {} };
  if (event.type === 'open') return { fields: s.trained ? NONE : {} };
  if (!s.trained || !nodeAnalysis) return { fields: {} };
  const { inUse, dropped } = fitting(s.trained, event.design, nodeAnalysis);
  const before = new Set(s.weightsDropped);
  if (dropped.length === before.size && dropped.every((id) => before.has(id))) return { fields: {} };
  const now = new Set(dropped);
  const lost = dropped.filter((id) => !before.has(id));
  const back = s.weightsDropped.filter((id) => !now.has(id));
  const source = s.trained.source;
  // removed layers took their weights with them: only layers still on the canvas are worth a word
  const shown = (ids: string[]) => ids.filter((id) => event.design.nodes.some((n) => n.id === id));
  const lostShown = shown(lost);
  const backShown = shown(back);
  let said: string | undefined;
  if (lostShown.length) {
    said = `${layerList(lostShown, event.design)} no longer ${lostShown.length === 1 ? 'fits its' : 'fit their'} weights from ${source} `
      + `(settings or input shape changed): ${lostShown.length === 1 ? 'it runs' : 'they run'} and ${lostShown.length === 1 ? 'exports' : 'export'} with seeded weights now. Undo brings them back.`;
  } else if (backShown.length) {
    said = `${layerList(backShown, event.design)} ${backShown.length === 1 ? 'has its' : 'have their'} weights from ${source} again.`;
  }
  return { fields: { weightsInUse: inUse, weightsDropped: dropped }, said };
}

/** The weights slice: no trained weights until an import hands some over. */
export function createWeightsSlice(): Slice<WeightsState & WeightsActions> {
  return (set, get) => ({
    ...NONE,

    setTrainedWeights(weights: TrainedWeights) {
      const s: EditorState = get();
      const nodes = new Map(s.design.nodes.map((n) => [n.id, n]));
      const fitFor = new Map<string, string>();
      for (const id of weights.byNode.keys()) {
        const node = nodes.get(id);
        if (node) fitFor.set(id, fitKey(node, s.nodeAnalysis[id]));
      }
      const trained = { ...weights, fitFor };
      const { inUse, dropped } = fitting(trained, s.design, s.nodeAnalysis);
      set({ trained, weightsInUse: inUse, weightsDropped: dropped });
    },

    forgetTrainedWeights() {
      set(NONE);
    },
  });
}
