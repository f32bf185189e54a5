/**
 * The list of what an imported model holds that Convas cannot express: one line per node with its operator and
 * why (the ONNX reader's words, the same lines `convas import` prints), under the notice that nothing was opened.
 * The design that was open stays as it was; the list stays until dismissed or another file opens.
 */

export interface Refused {
  /** the file that was refused */
  file: string;
  /** one line per node: `<node name> (<operator>): <why>` */
  lines: string[];
}

/** Shows the refusals of the last import, or nothing. */
export function ImportRefusals({ refused, onDismiss }: { refused: Refused | null; onDismiss(): void }) {
  if (!refused) return null;
  const n = refused.lines.length;
  return (
    <div className="notice error import-refusals" role="alert" data-testid="import-refusals">
      <div>
        <strong>{refused.file}</strong> was not opened: {n === 1 ? 'one node' : `${n} nodes`} Convas cannot express
        {' '}(the design you had stays open).
        <ul data-testid="import-refusal-list">
          {refused.lines.map((line, i) => <li key={i}>{line}</li>)}
        </ul>
      </div>
      <button aria-label="Dismiss" onClick={onDismiss}>×</button>
    </div>
  );
}
