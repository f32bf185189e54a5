/**
 * The Run tab's side of an imported model's trained weights (the store's weights slice): whether runs use them
 * (`useTrainedChoice`), and a line saying what they are and where they live (`TrainedWeightsNote`).
 */

import { useEffect, useState } from 'react';
import type { NodeWeights } from '../../../engine/initial-weights.ts';
import { useEditor } from '../../store/editor-context.tsx';
import { weightCount, weightsLabel, WHERE_WEIGHTS_LIVE } from '../trained-weights-text.ts';

export interface TrainedChoice {
  /** the imported model's file, when the design has trained weights that fit */
  source: string | null;
  /** whether runs use them (the default) or the seeded ones */
  useTrained: boolean;
  setUseTrained(on: boolean): void;
  /** the weights a run sends, by node id; undefined when runs are seeded */
  nodeWeights: ReadonlyMap<string, NodeWeights> | undefined;
  /** "weights: resnet50.onnx" (and how many edited layers run seeded) */
  label: string;
}

/** Whether the Run tab runs with the imported model's weights; a newly imported model starts with them on. */
export function useTrainedChoice(): TrainedChoice {
  const trained = useEditor((s) => s.trained);
  const inUse = useEditor((s) => s.weightsInUse);
  const dropped = useEditor((s) => s.weightsDropped.length);
  const [useTrained, setUseTrained] = useState(true);
  useEffect(() => setUseTrained(true), [trained]);
  const source = trained && inUse?.size ? trained.source : null;
  return {
    source,
    useTrained: source !== null && useTrained,
    setUseTrained,
    nodeWeights: source !== null && useTrained ? inUse! : undefined,
    label: source ? weightsLabel(source, dropped) : '',
  };
}

/** What the trained weights are and where they live, under the Weights chooser. */
export function TrainedWeightsNote({ onSeeded }: { onSeeded(): void }) {
  const trained = useEditor((s) => s.trained);
  const inUse = useEditor((s) => s.weightsInUse);
  const dropped = useEditor((s) => s.weightsDropped.length);
  if (!trained || !inUse) return null;
  return (
    <p className="run-weights-file" data-testid="trained-weights">
      Runs use the trained weights of <strong>{trained.source}</strong> ({weightCount(inUse).toLocaleString('en-US')} numbers
      {dropped ? `; ${dropped === 1 ? 'one edited layer runs' : `${dropped} edited layers run`} with seeded weights` : ''}).
      {' '}{WHERE_WEIGHTS_LIVE}{' '}
      <button type="button" className="run-link" onClick={onSeeded}>Run with random weights</button>
    </p>
  );
}
