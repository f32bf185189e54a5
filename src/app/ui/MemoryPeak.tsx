/**
 * The totals panel's inference peak by liveness and the weights at three precisions
 * (docs/analysis.md#peak-memory-by-liveness, docs/analysis.md#weights-at-lower-precision), beside torchinfo's
 * sums. **Show** selects the tensors alive at the peak on the canvas (the running layer, its inputs and whatever
 * waits for a later layer).
 */

import { useMemo } from 'react';
import { formatBytes, formatWeightSizes, inferencePeak, paramPrecisionBytes } from '../../engine/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';

export function MemoryPeak() {
  const store = useEditorStore();
  const design = useEditor((s) => s.design);
  const analysis = useEditor((s) => s.analysis);
  const batch = useEditor((s) => s.batch);
  const peak = useMemo(() => inferencePeak(analysis.nodes, batch), [analysis.nodes, batch]);
  const weights = useMemo(() => paramPrecisionBytes(design, analysis), [design, analysis]);
  const at = peak.peakNodeId === null ? null : analysis.nodes.find((n) => n.id === peak.peakNodeId);
  return (
    <>
      <div className="total-line">
        <span data-testid="memory-peak"
          title="inference, layers one at a time in the design's order: the most bytes of tensors alive at once (float32, input and outputs included)">
          Inference peak: {formatBytes(peak.inferencePeakBytes)}{at ? ` at ${at.name ?? at.id}` : ''}
        </span>
        {peak.liveAtPeak.length > 0 && (
          <button data-testid="show-peak" title="select the tensors alive at the peak"
            onClick={() => {
              store.getState().select(peak.liveAtPeak);
              store.getState().follow(peak.liveAtPeak);
            }}>
            show
          </button>
        )}
      </div>
      <div data-testid="memory-weights" title="int8: a byte per kernel element and a float32 scale per output channel; biases and normalisation stay float32">
        Weights: {formatWeightSizes(4 * analysis.totals.params, weights)}
      </div>
    </>
  );
}
