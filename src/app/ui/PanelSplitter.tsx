/**
 * The bar above the bottom panel: drag it (or focus it and press ↑/↓) to make the panel taller or shorter. The
 * height is remembered in this browser (localStorage `convas.ui.bottomPanel`) and sets `--bottom-height` on
 * the app.
 */

import { useCallback, useEffect, useRef, useState } from 'react';

const KEY = 'convas.ui.bottomPanel';
/**
 * The default: at 1440×900 the Run tab shows its controls, the Run button and a row of feature maps (300 px); on a
 * shorter window (1280×720) a third of its height, so the canvas keeps most of it.
 */
export const defaultBottomHeight = () => Math.min(300, Math.round(window.innerHeight * 0.34));
const MIN = 140;
/** the canvas keeps at least this much of the window */
const KEEP_ABOVE = 220;

const clamp = (h: number) => Math.round(Math.max(MIN, Math.min(h, window.innerHeight - KEEP_ABOVE)));

function readHeight(): number {
  try {
    const v = Number(localStorage.getItem(KEY));
    return v > 0 ? clamp(v) : defaultBottomHeight();
  } catch {
    return defaultBottomHeight();
  }
}

function writeHeight(h: number) {
  try {
    localStorage.setItem(KEY, String(h));
  } catch {
    // not remembered: the panel keeps its size in this page
  }
}

export function PanelSplitter() {
  const [height, setHeight] = useState(readHeight);
  const drag = useRef<{ y: number; h: number } | null>(null);

  useEffect(() => {
    const app = document.querySelector<HTMLElement>('.app');
    app?.style.setProperty('--bottom-height', `${height}px`);
  }, [height]);

  const commit = useCallback((h: number) => {
    const c = clamp(h);
    setHeight(c);
    writeHeight(c);
  }, []);

  return (
    <div className="panel-splitter" role="separator" aria-orientation="horizontal" aria-label="Resize the bottom panel"
      aria-valuenow={height} aria-valuemin={MIN} tabIndex={0} data-testid="panel-splitter"
      title="Drag to resize the bottom panel (double-click: default size)"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { y: e.clientY, h: height };
      }}
      onPointerMove={(e) => {
        if (drag.current) setHeight(clamp(drag.current.h + drag.current.y - e.clientY));
      }}
      onPointerUp={(e) => {
        if (!drag.current) return;
        commit(drag.current.h + drag.current.y - e.clientY);
        drag.current = null;
      }}
      onDoubleClick={() => commit(defaultBottomHeight())}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') commit(height + 20);
        else if (e.key === 'ArrowDown') commit(height - 20);
        else return;
        e.preventDefault();
      }}
    />
  );
}
