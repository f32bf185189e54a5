import { useShallow } from 'zustand/react/shallow';
import { formatInt, formatRfSize } from '../../engine/index.ts';
import { useEditor } from '../store/editor-context.tsx';
import { middleEllipsis, NAME_ROOM } from './names.ts';

/** More rows than this read as a list nobody compares; the totals above still count every layer. */
const MAX_ROWS = 12;

/**
 * The layers of a multiple selection side by side: each one's params and receptive field (the table's RF
 * column: `5×5`, `—` after flatten, `?` where it cannot be computed), and one line saying whether the fields are
 * the same. What the 5×5-vs-two-3×3 preset asks a student to do ("select them and compare the receptive field").
 */
export function SelectionFields({ selection }: { selection: string[] }) {
  const rows = useEditor(useShallow((s) => selection.slice(0, MAX_ROWS).map((id) => {
    const a = s.nodeAnalysis[id];
    return `${s.nodesById[id]?.name ?? id}\u0000${a?.outputShape ? formatInt(a.params) : '?'}\u0000${formatRfSize(a)}`;
  })));
  const parsed = rows.map((r) => r.split('\u0000'));
  const fields = new Set(parsed.map((r) => r[2]));
  const same = fields.size === 1 && selection.length <= MAX_ROWS ? parsed[0][2] : null;
  return (
    <div className="selection-fields" data-testid="selection-fields">
      <table>
        <thead><tr><th>Layer</th><th className="num">Params</th><th className="num">RF</th></tr></thead>
        <tbody>
          {parsed.map(([name, params, rf], i) => (
            <tr key={selection[i]} data-testid={`selection-row-${selection[i]}`}>
              <td title={name}>{middleEllipsis(name, NAME_ROOM.inspector)}</td>
              <td className="num">{params}</td>
              <td className="num">{rf}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selection.length > MAX_ROWS && <p className="muted">The first {MAX_ROWS} of {selection.length} layers.</p>}
      {same !== null && same !== '?' && same !== '—' && (
        <p className="selection-same" data-testid="selection-same-field">Each sees the same {same} receptive field.</p>
      )}
      {fields.size > 1 && selection.length <= MAX_ROWS && <p className="muted" data-testid="selection-same-field">Their receptive fields differ.</p>}
    </div>
  );
}
