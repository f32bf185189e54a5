/**
 * What keeps a person's work: the autosave's state (a refused write says so at once and offers Save), the
 * drafts of other tabs and of work a link replaced (to reopen), and the progress of a file being opened (with
 * Cancel). The storage itself lives in src/app/io/drafts.ts.
 */

import { useState, useSyncExternalStore } from 'react';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { browserDrafts, type DraftInfo } from '../io/drafts.ts';
import type { OpenStage } from '../io/open-client.ts';
import { DropMenu } from './DropMenu.tsx';

function useSaveStatus() {
  const drafts = browserDrafts();
  return useSyncExternalStore(drafts.subscribe, () => drafts.status());
}

const when = (ms: number) => (ms ? new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : 'earlier');
const describe = (d: DraftInfo) => `${d.layers.toLocaleString('en-US')} layer${d.layers === 1 ? '' : 's'} · saved ${when(d.savedAt)}`;

/** Opens a stored draft as the working design (one undo step); says why when it cannot be read. */
function useOpenDraft() {
  const store = useEditorStore();
  return (d: DraftInfo) => {
    const r = browserDrafts().read(d.tab);
    if (!r) return store.getState().notify('error', `The draft "${d.name}" is no longer stored`);
    if (!r.ok) return store.getState().notify('error', `Could not open the draft "${d.name}": ${r.error}`);
    try {
      browserDrafts().keepCurrent(store.getState().design);
      store.getState().loadDesign(r.design, { issues: r.issues });
      store.getState().notify('info', `Opened the draft "${d.name}" (Undo goes back)`);
    } catch (e) {
      store.getState().notify('error', `Could not open the draft "${d.name}": ${(e as Error).message}`);
    }
  };
}

/** A red bar, at once, while the autosave is refused: the design stays open here, and Save downloads it. */
export function SaveFailedBar({ onSave }: { onSave(): void }) {
  const status = useSaveStatus();
  const store = useEditorStore();
  if (status.state !== 'failed') return null;
  return (
    <div className="notice error" role="alert" data-testid="save-failed">
      <span>
        Not saved in this browser: {status.reason}. Your design is still open in this tab; save it as a file so
        that nothing is lost.
      </span>
      <button type="button" className="notice-action" data-testid="save-failed-save" onClick={onSave}>Save file</button>
      <button type="button" className="notice-action" data-testid="save-failed-retry"
        onClick={() => browserDrafts().save(store.getState().design)}>Try again</button>
    </div>
  );
}

/** Told once after a link or `?preset=` opened over the person's earlier work: that work is kept, one click away. */
export function PreviousWorkBar({ previous }: { previous: DraftInfo | undefined }) {
  const [shown, setShown] = useState(!!previous);
  const open = useOpenDraft();
  // it speaks of the design the link opened: once another design is opened it no longer fits the screen
  const loadSeq = useEditor((s) => s.loadSeq);
  const [atLoad] = useState(loadSeq);
  if (!shown || !previous || loadSeq !== atLoad) return null;
  return (
    <div className="notice info" role="status" data-testid="previous-work">
      <span>
        The link opened a design in place of your work "{previous.name}" ({describe(previous)}). Your work is kept: open
        it here, or later from Drafts.
      </span>
      <button type="button" className="notice-action" data-testid="previous-work-open" onClick={() => {
        setShown(false);
        open(previous);
      }}>Open my design</button>
      <button type="button" className="notice-action" onClick={() => setShown(false)}>Keep the link's</button>
    </div>
  );
}

/** The top bar's Drafts menu: the autosave state, and every other draft in this browser to reopen or delete. */
export function DraftsMenu() {
  const status = useSaveStatus();
  const open = useOpenDraft();
  const [, bump] = useState(0);
  // The menu keeps one name, so it is found where it was; the save state is said beside it, never in its place.
  const said = status.state === 'failed' ? 'Not saved' : status.state === 'saved' ? 'Saved' : status.state === 'pending' ? 'Saving…' : '';
  return (
    <div className={`drafts ${status.state}`} data-testid="save-state" data-state={status.state}
      title={status.state === 'saved' ? `Saved in this browser at ${new Date(status.at).toLocaleTimeString()}` : status.state === 'failed' ? `Not saved in this browser: ${status.reason}` : 'Designs autosave in this browser'}>
      <DropMenu label="Drafts" testId="drafts">
        {(close) => {
          const others = browserDrafts().list().filter((d) => !d.mine);
          return (
            <>
              <div className="menu-heading">Other drafts in this browser</div>
              {others.length === 0 && <p className="menu-empty">None: every tab's work is autosaved here as its own draft.</p>}
              {others.map((d) => (
                <div key={d.tab} className="draft-row">
                  <button role="menuitem" data-testid="draft-open" onClick={() => {
                    close();
                    open(d);
                  }}>
                    <strong>{d.name}</strong>
                    <span>{describe(d)}</span>
                  </button>
                  <button type="button" className="draft-delete" aria-label={`Delete the draft ${d.name}`} title="Delete this draft"
                    onClick={() => {
                      if (!confirm(`Delete the draft "${d.name}" (${describe(d)})? It cannot be brought back.`)) return;
                      browserDrafts().remove(d.tab);
                      bump((n) => n + 1);
                    }}>×</button>
                </div>
              ))}
            </>
          );
        }}
      </DropMenu>
      <span className="save-status" data-testid="save-status" role="status" aria-live="polite">{said}</span>
    </div>
  );
}

/** While a file opens in the open worker: its name, size, stage and a Cancel. */
export function OpeningBar({ opening, onCancel }: { opening: { name: string; bytes: number; stage: OpenStage; fraction?: number } | null; onCancel(): void }) {
  if (!opening) return null;
  const pct = opening.fraction !== undefined ? ` ${Math.round(opening.fraction * 100)}%` : '';
  const stage = opening.stage === 'reading' ? `reading${pct}` : opening.stage === 'importing' ? `importing the model's layers and weights${pct}` : 'checking and analysing';
  return (
    <div className="notice info" role="status" data-testid="opening">
      <span>Opening {opening.name} ({(opening.bytes / 1048576).toFixed(1)} MB): {stage}… The editor stays usable meanwhile.</span>
      <button type="button" className="notice-action" data-testid="opening-cancel" onClick={onCancel}>Cancel</button>
    </div>
  );
}
