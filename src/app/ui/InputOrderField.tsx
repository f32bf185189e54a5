import { useShallow } from 'zustand/react/shallow';
import { getLayerKind, orderInputs } from '../../engine/index.ts';
import { moveInput } from '../../engine/input-order.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { NAME_ROOM, shortName } from './names.ts';

/**
 * The inspector's list of a merge's inputs in their order (docs/design-format.md#input-order), which is the order of a
 * concat's channels and of every export's operands: ↑ ↓ move one input, one undo step each. Shown for a layer that
 * takes several inputs and has at least two wired.
 */
export function InputOrderField({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  const merge = useEditor((s) => (getLayerKind(s.nodesById[nodeId]?.kind ?? '')?.arity.max ?? 0) > 1);
  // the sources' names and the channels each brings, as strings so that only a change of them re-renders
  const inputs = useEditor(useShallow((s) => orderInputs(s.design.edges.filter((e) => e.target === nodeId)).ordered.map((e) => {
    const shape = s.nodeAnalysis[e.source]?.outputShape;
    return `${s.nodesById[e.source]?.name ?? e.source}\u0000${shape ? shape[shape.length - 1] : ''}`;
  })));
  if (!merge || inputs.length < 2) return null;
  const move = (from: number, to: number) => store.getState().edit((d) => moveInput(d, nodeId, from, to));
  return (
    <div className="field input-order" data-testid="input-order">
      <span title="The order of the inputs: a concat's channels follow it, and every export writes the inputs in it">Inputs</span>
      <ol className="input-order-list">
        {inputs.map((text, i) => {
          const [name, channels] = text.split('\u0000');
          return (
            <li key={`${name}-${i}`} data-testid={`input-${i}`}>
              <span className="input-order-place">{i + 1}.</span>
              <span className="input-order-name" title={name}>{shortName(name, NAME_ROOM.inspector - 4)}</span>
              {channels && <span className="muted input-order-channels">{channels} ch</span>}
              <button data-testid={`input-earlier-${i}`} disabled={i === 0} aria-label={`Move input ${i + 1} (${name}) earlier`} title="Move this input earlier" onClick={() => move(i, i - 1)}>↑</button>
              <button data-testid={`input-later-${i}`} disabled={i === inputs.length - 1} aria-label={`Move input ${i + 1} (${name}) later`} title="Move this input later" onClick={() => move(i, i + 1)}>↓</button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
