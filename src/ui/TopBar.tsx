import { useEffect, useRef, useState } from 'react';
import { PRESETS } from '../../presets/index.ts';
import { useEditor } from '../store/editor-context.tsx';

export interface TopBarActions {
  onPreset(id: string): void;
  onNew(): void;
  onOpenFile(file: File): void;
  onSave(): void;
  onAutoLayout(): void;
  onCopyLink(): void;
  onUndo(): void;
  onRedo(): void;
}

export function TopBar(props: TopBarActions) {
  const name = useEditor((s) => s.design.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const fileRef = useRef<HTMLInputElement>(null);
  const [menu, setMenu] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenu(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [menu]);

  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden>▦</span> Convas
      </div>
      <div className="design-title" title={name} data-testid="design-title">{name}</div>
      <div className="toolbar">
        <div className="menu" ref={menuRef}>
          <button data-testid="presets-button" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>Presets ▾</button>
          {menu && (
            <div className="menu-list" role="menu" data-testid="presets-menu">
              {(['classic', 'teaching'] as const).map((cat) => (
                <div key={cat} className="menu-group">
                  <div className="menu-heading">{cat === 'classic' ? 'Classic networks' : 'Teaching designs'}</div>
                  {PRESETS.filter((p) => p.category === cat).map((p) => (
                    <button
                      key={p.id}
                      role="menuitem"
                      data-testid={`preset-${p.id}`}
                      onClick={() => {
                        setMenu(false);
                        props.onPreset(p.id);
                      }}
                    >
                      <strong>{p.title}</strong>
                      <span>{p.summary}</span>
                    </button>
                  ))}
                </div>
              ))}
            </div>
          )}
        </div>
        <button data-testid="new-button" onClick={props.onNew}>New</button>
        <button data-testid="open-button" onClick={() => fileRef.current?.click()}>Open…</button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,.convas.json,application/json"
          data-testid="open-input"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) props.onOpenFile(f);
          }}
        />
        <button data-testid="save-button" onClick={props.onSave}>Save</button>
        <span className="sep" />
        <button data-testid="undo-button" disabled={!canUndo} onClick={props.onUndo} title="Undo (Ctrl+Z)">Undo</button>
        <button data-testid="redo-button" disabled={!canRedo} onClick={props.onRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
        <span className="sep" />
        <button data-testid="layout-button" onClick={props.onAutoLayout}>Auto-layout</button>
        <button data-testid="link-button" onClick={props.onCopyLink}>Copy link</button>
      </div>
    </header>
  );
}
