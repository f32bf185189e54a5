import { useEffect, useRef, useState } from 'react';
import { PRESET_CATEGORIES, PRESETS } from '../../../presets/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import type { Stat } from '../store/editor-store.ts';
import { DropMenu, MenuItem } from './DropMenu.tsx';
import { exportItems, type ExportFormat } from './export-actions.ts';
import { STAT_LABEL } from './stats.ts';
import { useProfileTimes } from './run/profile-store.ts';
import { NAME_ROOM, shortName } from './names.ts';
import type { DesignNode } from '../../engine/index.ts';
import { DraftsMenu } from './WorkSafety.tsx';

export interface TopBarActions {
  onPreset(id: string): void;
  onNew(): void;
  /** the files picked together: a design, a model (.onnx, or a model.json with its .bin files) */
  onOpenFile(files: File[]): void;
  onSave(): void;
  onExport(format: ExportFormat): void;
  exporting?: boolean;
  onAutoLayout(): void;
  onCopyLink(): void;
  onUndo(): void;
  onRedo(): void;
  layingOut?: boolean;
}

export function TopBar(props: TopBarActions) {
  const name = useEditor((s) => s.design.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const stat = useEditor((s) => s.stat);
  const setStat = useEditor((s) => s.setStat);
  const profiled = useProfileTimes((t) => t.times !== null);
  // the Export menu says which weights the exports hold: an imported model's, or the seed's
  const trainedSource = useEditor((s) => (s.weightsInUse?.size ? s.trained?.source ?? null : null));
  const fileRef = useRef<HTMLInputElement>(null);

  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden>▦</span> Convas
      </div>
      <div className="design-title" title={name} data-testid="design-title">{name}</div>
      <FindBox />
      <div className="toolbar">
        <DropMenu label="Presets" testId="presets">
          {(close) => PRESET_CATEGORIES.map(({ id: cat, heading }) => (
            <div key={cat} className="menu-group">
              <div className="menu-heading">{heading}</div>
              {PRESETS.filter((p) => p.category === cat).map((p) => (
                <MenuItem key={p.id} testId={`preset-${p.id}`} title={p.title} detail={p.summary} onPick={() => {
                  close();
                  props.onPreset(p.id);
                }} />
              ))}
            </div>
          ))}
        </DropMenu>
        <button data-testid="new-button" onClick={props.onNew}>New</button>
        <button data-testid="open-button" onClick={() => fileRef.current?.click()}>Open…</button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,.convas.json,.onnx,.bin,application/json"
          multiple
          data-testid="open-input"
          hidden
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            if (files.length) props.onOpenFile(files);
          }}
        />
        <button data-testid="save-button" onClick={props.onSave} title="Download the design as .convas.json">Save</button>
        <DraftsMenu />
        <DropMenu label={props.exporting ? 'Exporting…' : 'Export'} testId="export">
          {(close) => exportItems(trainedSource).map((item) => (
            <MenuItem key={item.id} testId={`export-${item.id}`} title={item.title} detail={item.detail} disabled={props.exporting} onPick={() => {
              close();
              props.onExport(item.id);
            }} />
          ))}
        </DropMenu>
        <span className="sep" />
        <button data-testid="undo-button" disabled={!canUndo} onClick={props.onUndo} title="Undo (Ctrl+Z)">Undo</button>
        <button data-testid="redo-button" disabled={!canRedo} onClick={props.onRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
        <span className="sep" />
        <label className="stat-chooser" title="Bars on the layers, relative to the largest">
          Bars
          <select data-testid="stat-select" value={stat} onChange={(e) => setStat(e.target.value as Stat)}>
            {(Object.keys(STAT_LABEL) as Stat[]).map((k) => (
              <option key={k} value={k} disabled={k === 'time' && !profiled && stat !== 'time'}
                title={k === 'time' ? `Each layer's median time in the Run tab's last profile (Run tab → Profile layers)${profiled ? '' : ': profile there first'}` : undefined}>
                {/* a short label: the select is as wide as its longest option, and the top bar has no room to spare at 1280 px */}
                {STAT_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <span className="sep" />
        <button data-testid="layout-button" onClick={props.onAutoLayout} disabled={props.layingOut} aria-busy={props.layingOut}>
          {props.layingOut ? 'Laying out…' : 'Auto-layout'}
        </button>
        <button data-testid="link-button" onClick={props.onCopyLink}>Copy link</button>
      </div>
    </header>
  );
}

/** Ctrl+F: finds layers by name, id or kind; Enter steps through the matches. */
function FindBox() {
  const store = useEditorStore();
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  // the list of matches shows while the box has the focus
  const [open, setOpen] = useState(false);
  // another design opened: the old query means nothing there
  const loadSeq = useEditor((s) => s.loadSeq);
  useEffect(() => {
    setText('');
    setIndex(0);
  }, [loadSeq]);
  const nodes = useEditor((s) => s.design.nodes);
  const q = text.trim().toLowerCase();
  const matches = q
    ? nodes.filter((n) => (n.name ?? '').toLowerCase().includes(q) || n.id.toLowerCase().includes(q) || n.kind.toLowerCase().includes(q))
    : [];
  const go = (i: number) => {
    if (!matches.length) return;
    const k = ((i % matches.length) + matches.length) % matches.length;
    setIndex(k);
    store.getState().reveal(matches[k].id);
  };
  return (
    <div className="find">
      <input
        id="find-input"
        data-testid="find-input"
        placeholder="Find (Ctrl+F)"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setIndex(0);
          const v = e.target.value.trim().toLowerCase();
          const first = v && nodes.find((n) => (n.name ?? '').toLowerCase().includes(v) || n.id.toLowerCase().includes(v) || n.kind.toLowerCase().includes(v));
          if (first) store.getState().reveal(first.id);
        }}
        onFocus={() => setOpen(true)}
        // a click in the list lands before the box loses the focus (mousedown there keeps it)
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') go(index + (e.shiftKey ? -1 : 1));
          if (e.key === 'Escape') {
            setText('');
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      {q && <span className="find-count" data-testid="find-count">{matches.length ? `${index + 1}/${matches.length}` : 'none'}</span>}
      {q && open && matches.length > 0 && <FindResults matches={matches} index={index} onPick={go} />}
    </div>
  );
}

/** The most matches Find lists under its box (Enter steps through them all). */
const FIND_LIST = 8;

/**
 * The matches around the current one, by name shortened to what tells them apart (`shortName`, the full name and
 * kind on hover); a click goes to one.
 */
function FindResults({ matches, index, onPick }: { matches: DesignNode[]; index: number; onPick(i: number): void }) {
  const first = Math.max(0, Math.min(index - 2, matches.length - FIND_LIST));
  const shown = matches.slice(first, first + FIND_LIST);
  return (
    <ul className="find-results" data-testid="find-results" role="listbox" aria-label="Matches">
      {shown.map((n, k) => {
        const i = first + k;
        const name = n.name ?? n.id;
        return (
          <li key={n.id} role="option" aria-selected={i === index} className={i === index ? 'current' : undefined}
            title={`${name} (${n.kind})`} data-testid={`find-result-${i}`}
            onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(i)}>
            {shortName(name, NAME_ROOM.find)}
          </li>
        );
      })}
      {matches.length > FIND_LIST && <li className="muted find-more">{matches.length} matches: Enter steps through them</li>}
    </ul>
  );
}
