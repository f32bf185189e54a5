/**
 * The canvas' minimap, tamed: small, hidden with one click (remembered in this browser), kept off the nodes (a fit
 * leaves its corner clear: `fitPadding`), and a drag inside it bounded: the pointer's place on the map becomes the
 * view's centre, held inside the design's box, so a drag can never throw the view into empty canvas (React Flow's
 * own minimap pan moves the view by the pointer's movement times the map's scale, 25,000 px for 300 px on a big
 * network).
 */

import { useEffect, useRef, useState } from 'react';
import { MiniMap, Panel, useReactFlow, type FitViewOptions, type Node } from '@xyflow/react';
type Padding = NonNullable<FitViewOptions['padding']>;

/** The minimap's size on screen, px. */
export const MINIMAP = { width: 150, height: 100 } as const;
const KEY = 'convas.minimap';

/** Whether the person wants the minimap (shown unless they hid it; remembered in localStorage). */
export function useMinimapShown(): [boolean, (shown: boolean) => void] {
  const [shown, setShown] = useState(() => {
    try {
      return localStorage.getItem(KEY) !== 'hidden';
    } catch {
      return true;
    }
  });
  const set = (v: boolean) => {
    setShown(v);
    try {
      localStorage.setItem(KEY, v ? 'shown' : 'hidden');
    } catch {
      // storage refused: the choice holds for this page only
    }
  };
  return [shown, set];
}

/**
 * fitView's padding: 12% all round, and with the minimap shown, the right side clear of it (its width and a
 * margin), so no node is fitted under it.
 */
export function fitPadding(minimapShown: boolean): Padding {
  return minimapShown ? { top: '12%', bottom: '12%', left: '8%', right: `${MINIMAP.width + 28}px` } : 0.12;
}

export function CanvasMinimap({ shown, onShown, nodeClassName }: {
  shown: boolean;
  onShown: (shown: boolean) => void;
  nodeClassName: (n: Node) => string;
}) {
  const { setCenter, getZoom, getNodes, getNodesBounds } = useReactFlow();
  const dragging = useRef(false);
  const wrap = useRef<HTMLDivElement>(null);

  // the map's svg is drawn in flow coordinates (its viewBox): the pointer's place there is a place in the design
  useEffect(() => {
    const svg = wrap.current?.parentElement?.querySelector<SVGSVGElement>('.react-flow__minimap-svg');
    if (!shown || !svg) return;
    const centreAt = (e: PointerEvent) => {
      const m = svg.getScreenCTM();
      if (!m) return;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      const b = getNodesBounds(getNodes().filter((n) => !n.hidden));
      const x = Math.min(Math.max(p.x, b.x), b.x + b.width);
      const y = Math.min(Math.max(p.y, b.y), b.y + b.height);
      void setCenter(x, y, { zoom: getZoom(), duration: 0 });
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      dragging.current = true;
      svg.setPointerCapture(e.pointerId);
      centreAt(e);
      e.stopPropagation();
    };
    const move = (e: PointerEvent) => {
      if (dragging.current) centreAt(e);
    };
    const up = () => {
      dragging.current = false;
    };
    svg.addEventListener('pointerdown', down);
    svg.addEventListener('pointermove', move);
    svg.addEventListener('pointerup', up);
    svg.addEventListener('pointercancel', up);
    return () => {
      svg.removeEventListener('pointerdown', down);
      svg.removeEventListener('pointermove', move);
      svg.removeEventListener('pointerup', up);
      svg.removeEventListener('pointercancel', up);
    };
  }, [shown, setCenter, getZoom, getNodes, getNodesBounds]);

  return (
    <>
      {shown && (
        <MiniMap zoomable nodeClassName={nodeClassName} style={{ width: MINIMAP.width, height: MINIMAP.height }}
          ariaLabel="Minimap: click or drag to move the view" />
      )}
      <Panel position="bottom-right" className={`minimap-toggle${shown ? ' with-map' : ''}`}>
        <div ref={wrap}>
          <button type="button" data-testid="minimap-toggle" aria-pressed={shown}
            title={shown ? 'Hide the minimap (remembered)' : 'Show the minimap'} onClick={() => onShown(!shown)}>
            {shown ? 'Hide map' : 'Map'}
          </button>
        </div>
      </Panel>
    </>
  );
}
