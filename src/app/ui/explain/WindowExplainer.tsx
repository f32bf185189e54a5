import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { formatInt } from '../../../engine/index.ts';
import { unreachedText, windowStart, windowTaps, type AxisExplanation, type WindowExplanation } from '../../../engine/window-explain.ts';
import './explain.css';

/** The most cells drawn along an axis of the windowed grid: a larger layer shows its top-left corner, readable. */
export const MAX_GRID_CELLS = 14;
const SPEEDS = [0.5, 1, 2, 4] as const;
/** Milliseconds per window at 1×: slow enough to follow one window with the eye. */
const STEP_MS = 900;

/**
 * Per axis, what is drawn: the windowed grid (gather: the padded input; scatter: the output with its cropped
 * edges) from `from` to `to` (exclusive, in the grid's own coordinates: padding is negative or ≥ size), and the
 * first `moving` cells of the other grid (gather: output cells; scatter: input cells), those whose whole window
 * lies in the drawn part.
 */
interface AxisView { from: number; to: number; size: number; moving: number; movingSize: number; corner: boolean }

function axisView(a: AxisExplanation, gather: boolean): AxisView {
  const size = gather ? a.input : a.output;
  const movingSize = gather ? a.output : a.input;
  const from = -a.before;
  // scatter: cells past the full output (output padding, `same` zero-extension) are drawn as output cells
  const full = size + Math.max(a.after, 0);
  const to = Math.min(full, from + MAX_GRID_CELLS);
  let moving = 0;
  while (moving < movingSize && windowStart(a, moving) + a.extent - 1 < to) moving++;
  return { from, to, size, moving: Math.max(1, moving), movingSize, corner: to < full || moving < movingSize };
}

/**
 * "Explain this layer" in the inspector: the window sliding over the layer's input grid (padding cells drawn,
 * the stride's steps, dilation's gaps, cells no window reaches shaded), the output grid filling in, the
 * output-size formula with the layer's numbers and its parameter formula. Play, pause, step back and forth, a
 * speed; the figure takes the arrow keys, Space and Home. A large layer shows its top-left corner.
 */
export function WindowExplainer({ e }: { e: WindowExplanation }) {
  const gather = e.direction === 'gather';
  const [hv, wv] = useMemo(() => [axisView(e.axes[0], gather), axisView(e.axes[1], gather)], [e, gather]);
  const total = hv.moving * wv.moving;
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  // a new layer (or new numbers) starts from its first window
  useEffect(() => { setStep(0); setPlaying(false); }, [e]);
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => setStep((s) => (s + 1) % total), STEP_MS / speed);
    return () => clearInterval(t);
  }, [playing, speed, total]);
  const go = useCallback((d: number) => { setPlaying(false); setStep((s) => (s + d + total) % total); }, [total]);
  const onKey = (ev: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => go(1), ArrowDown: () => go(wv.moving), ArrowLeft: () => go(-1), ArrowUp: () => go(-wv.moving),
      ' ': () => setPlaying((p) => !p), Home: () => { setPlaying(false); setStep(0); },
    };
    const f = keys[ev.key];
    if (f) { ev.preventDefault(); f(); }
  };
  const oi = Math.floor(step / wv.moving);
  const oj = step % wv.moving;
  const [ha, wa] = e.axes;
  const unreached = [unreachedText(ha, 0), unreachedText(wa, 1)];
  const where = gather ? 'input' : 'output';
  return (
    <section className="window-explainer" aria-label="Explain this layer" data-testid="window-explainer">
      <h3>Explain this layer</h3>
      <p className="wx-caption">
        {caption(e, gather)}
      </p>
      <div className="wx-figure" tabIndex={0} role="group" onKeyDown={onKey}
        aria-label={`${gather ? 'Output' : 'Input'} cell ${oi}, ${oj}: ${step + 1} of ${total}. Arrow keys step, Space plays or pauses, Home goes back to the first.`}>
        <Grids e={e} hv={hv} wv={wv} oi={oi} oj={oj} step={step} gather={gather} />
      </div>
      <div className="wx-controls">
        <button type="button" onClick={() => go(-1)} aria-label="Step back">◀</button>
        <button type="button" onClick={() => setPlaying((p) => !p)} data-testid="wx-play">{playing ? 'Pause' : 'Play'}</button>
        <button type="button" onClick={() => go(1)} data-testid="wx-step">Step ▶</button>
        <label>Speed{' '}
          <select value={speed} onChange={(ev) => setSpeed(Number(ev.target.value))} aria-label="Speed">
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
        </label>
        <span className="wx-count" data-testid="wx-count">{step + 1} / {total}</span>
      </div>
      {(hv.corner || wv.corner) && (
        <p className="wx-note muted" data-testid="wx-corner">
          The top-left corner: {hv.to - hv.from}×{wv.to - wv.from} of the {formatInt(hv.size + ha.before + Math.max(ha.after, 0))}×{formatInt(wv.size + wa.before + Math.max(wa.after, 0))}{' '}
          {gather ? 'padded input' : 'output before the crop'}, {hv.moving}×{wv.moving} of the {formatInt(hv.movingSize)}×{formatInt(wv.movingSize)} windows.
        </p>
      )}
      <div className="wx-formula" data-testid="wx-formula">
        {(e.square ? [0] : [0, 1]).map((axis) => (
          <div key={axis} className="wx-axis">
            <div className="muted">{e.square ? 'Output size (H and W alike)' : axis === 0 ? 'Output height' : 'Output width'}</div>
            {e.axes[axis].steps.map((s, i) => <div key={i}>{s}</div>)}
          </div>
        ))}
        {e.params && <div className="wx-axis"><div className="muted">Parameters</div><div>{e.params}</div></div>}
      </div>
      {(unreached[0] || unreached[1]) ? (
        <p className="wx-unreached" data-testid="wx-unreached">
          <span className="wx-swatch wx-swatch-unreached" /> No window reaches {[unreached[0], unreached[1]].filter(Boolean).join(' and ')} of the {where}
          {gather ? ': the stride does not divide what is left after the last window, so those pixels never count.' : '.'}
        </p>
      ) : (
        <p className="wx-unreached muted" data-testid="wx-unreached">Every {where} cell is reached by some window.</p>
      )}
    </section>
  );
}

function caption(e: WindowExplanation, gather: boolean): string {
  const [h, w] = e.axes;
  const k = h.kernel === w.kernel ? `${h.kernel}×${h.kernel}` : `${h.kernel}×${w.kernel}`;
  const s = h.stride === w.stride ? `${h.stride}` : `${h.stride}×${w.stride}`;
  const d = h.dilation > 1 || w.dilation > 1 ? `, its taps ${h.dilation === w.dilation ? h.dilation : `${h.dilation}×${w.dilation}`} apart (dilation)` : '';
  const pad = h.before + Math.max(h.after, 0) + w.before + Math.max(w.after, 0) > 0;
  if (gather) {
    return `The ${k} ${e.word} steps ${s} cell${s === '1' ? '' : 's'} at a time over the ${h.input}×${w.input} input${d}${pad ? ' and its zero padding (grey)' : ''}; each position gives one cell of the ${h.output}×${w.output} output.`;
  }
  return `Each cell of the ${h.input}×${w.input} input writes a ${k} ${e.word} into the output, ${s} cells from its neighbour's${d}; overlaps add up${pad ? ', and the grey edges are cropped' : ''}: a ${h.output}×${w.output} output.`;
}

interface GridsProps { e: WindowExplanation; hv: AxisView; wv: AxisView; oi: number; oj: number; step: number; gather: boolean }

/** The windowed grid (above) and the moving grid (below), as SVG. */
function Grids({ e, hv, wv, oi, oj, step, gather }: GridsProps) {
  const [ha, wa] = e.axes;
  const rows = hv.to - hv.from;
  const cols = wv.to - wv.from;
  const cell = Math.max(9, Math.min(20, Math.floor(250 / Math.max(rows, cols, hv.moving, wv.moving))));
  const gap = 24;
  const top = 14; // room for the upper grid's label
  const topH = rows * cell;
  const botH = hv.moving * cell;
  const width = Math.max(cols, wv.moving) * cell + 2;
  const unreachedRows = new Set(ha.unreached);
  const unreachedCols = new Set(wa.unreached);
  const tapsR = new Set(windowTaps(ha, oi));
  const tapsC = new Set(windowTaps(wa, oj));
  const r0 = windowStart(ha, oi);
  const c0 = windowStart(wa, oj);
  const cells = [];
  for (let r = hv.from; r < hv.to; r++) {
    for (let c = wv.from; c < wv.to; c++) {
      const pad = r < 0 || c < 0 || r >= hv.size || c >= wv.size;
      const tap = tapsR.has(r) && tapsC.has(c);
      const unreached = !pad && (unreachedRows.has(r) || unreachedCols.has(c));
      const cls = ['wx-cell', pad ? 'wx-pad' : '', unreached ? 'wx-unreached-cell' : '', tap ? 'wx-tap' : ''].filter(Boolean).join(' ');
      cells.push(<rect key={`${r},${c}`} className={cls} x={1 + (c - wv.from) * cell} y={top + (r - hv.from) * cell} width={cell} height={cell}
        data-testid={tap ? 'wx-tap' : unreached ? 'wx-unreached-cell' : pad ? 'wx-pad' : undefined} />);
    }
  }
  const out = [];
  for (let i = 0; i < hv.moving; i++) {
    for (let j = 0; j < wv.moving; j++) {
      const k = i * wv.moving + j;
      const cls = k === step ? 'wx-cell wx-current' : k < step ? 'wx-cell wx-done' : 'wx-cell';
      out.push(<rect key={`${i},${j}`} className={cls} x={1 + j * cell} y={top + topH + gap + i * cell} width={cell} height={cell} />);
    }
  }
  const boxX = 1 + (c0 - wv.from) * cell;
  const boxY = top + (r0 - hv.from) * cell;
  const curX = 1 + oj * cell + cell / 2;
  const curY = top + topH + gap + oi * cell;
  return (
    <svg width={width} height={top + topH + gap + botH + 2} className="wx-svg" role="img"
      aria-label={`${gather ? 'input' : 'output'} grid ${ha.input}×${wa.input} above, ${gather ? 'output' : 'input'} grid below`}>
      <text x={1} y={10} className="wx-label">{gather ? `input ${ha.input}×${wa.input}` : `output ${ha.output}×${wa.output}`}</text>
      {cells}
      <rect className="wx-window" x={boxX} y={boxY} width={wa.extent * cell} height={ha.extent * cell} />
      {out}
      <line className="wx-link" x1={boxX + (wa.extent * cell) / 2} y1={boxY + ha.extent * cell} x2={curX} y2={curY} />
      <text x={1} y={top + topH + gap - 5} className="wx-label">{gather ? `output ${ha.output}×${wa.output}` : `input ${ha.input}×${wa.input}`}</text>
    </svg>
  );
}
