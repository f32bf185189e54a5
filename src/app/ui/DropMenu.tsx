import { useEffect, useRef, useState, type ReactNode } from 'react';

/** A top-bar button that opens a list below it; a click outside or Escape closes it. */
export function DropMenu(props: { label: string; testId: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button data-testid={`${props.testId}-button`} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {props.label} ▾
      </button>
      {open && (
        <div className="menu-list" role="menu" data-testid={`${props.testId}-menu`}>
          {props.children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

/** One entry of a DropMenu: a title and a line of detail. */
export function MenuItem(props: { testId: string; title: string; detail: string; disabled?: boolean; onPick: () => void }) {
  return (
    <button role="menuitem" data-testid={props.testId} disabled={props.disabled} onClick={props.onPick}>
      <strong>{props.title}</strong>
      <span>{props.detail}</span>
    </button>
  );
}
