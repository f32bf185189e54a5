import { canUnmarkOutput, moveOutput, setOutput } from '../../engine/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';

/**
 * The inspector's line for the model's outputs (docs/design-format.md#outputs): whether the selected layer is one
 * of them, its place in their order, and the controls to mark or unmark it and move it earlier or later. Each
 * change is one undo step. A layer that feeds nothing is always an output, so its box is ticked and locked.
 */
export function OutputField({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  const place = useEditor((s) => s.outputPlace[nodeId]);
  const count = useEditor((s) => Object.keys(s.outputPlace).length);
  const locked = useEditor((s) => place !== undefined && !canUnmarkOutput(s.design, nodeId));
  const isOutput = place !== undefined;
  const edit = (fn: Parameters<ReturnType<typeof store.getState>['edit']>[0]) => store.getState().edit(fn);
  const lockedWhy = 'It feeds no other layer, so the model returns it: connect it to a layer to make it optional.';
  return (
    <div className="field output-line">
      <span>Output</span>
      <span className="output-line-value">
        <label title={locked ? lockedWhy : 'The model returns this layer\'s result (run, and every export keep the order).'}>
          <input
            type="checkbox"
            data-testid="output-toggle"
            checked={isOutput}
            disabled={locked}
            onChange={(e) => edit((d) => setOutput(d, nodeId, e.target.checked))}
          />
          <span data-testid="output-place">{isOutput ? (count > 1 ? `${place + 1} of ${count}` : 'the output') : 'not an output'}</span>
        </label>
        {isOutput && count > 1 && (
          <span className="output-move">
            <button data-testid="output-earlier" disabled={place === 0} title="Move this output earlier in the model's outputs" aria-label="Move output earlier" onClick={() => edit((d) => moveOutput(d, nodeId, place - 1))}>↑</button>
            <button data-testid="output-later" disabled={place === count - 1} title="Move this output later in the model's outputs" aria-label="Move output later" onClick={() => edit((d) => moveOutput(d, nodeId, place + 1))}>↓</button>
          </span>
        )}
      </span>
    </div>
  );
}
