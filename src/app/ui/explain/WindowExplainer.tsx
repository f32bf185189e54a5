import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { formatInt } from '../../../engine/index.ts';
import { unreachedText, type WindowExplanation } from '../../../engine/window-explain.ts';
import { axisGrid, hiddenCells, runText, type AxisGrid } from '../../../engine/window-grid.ts';
import { WindowGrids } from './WindowGrids.tsx';
import './explain.css';

const SPEEDS = [0.5, 1, 2, 4] as const;
/** Milliseconds per window at 1×: slow enough to follow one window with the eye. */
const STEP_MS = 900;

/**
 * "Explain this layer" in the inspector: the window sliding over the layer's input grid (padding cells drawn,
 * the stride's steps, dilation's gaps, cells no window reaches shaded), the output grid filling in, the
 * output-size formula with the layer's numbers and its parameter formula. Play, pause, step back and forth, a
 * speed; the figure takes the arrow keys, Space and Home. A large layer draws its first and last cells with a
 * marked gap between (engine/window-grid.ts), and the window jumps over the hidden positions, saying so.
 */
export function WindowExplainer({ e }: { e: WindowExplanation }) {
  const gather = e.direction === 'gather';
  const [hg, wg] = useMemo(() => [axisGrid(e.axes[0], gather), axisGrid(e.axes[1], gather)], [e, gather]);
  // the steps go over the windows drawn, row by row; a large layer's hidden windows are jumped over
  const cols = wg.windows.length;
  const total = hg.windows.length * cols;
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
      ArrowRight: () => go(1), ArrowDown: () => go(cols), ArrowLeft: () => go(-1), ArrowUp: () => go(-cols),
      ' ': () => setPlaying((p) => !p), Home: () => { setPlaying(false); setStep(0); },
    };
    const f = keys[ev.key];
    if (f) { ev.preventDefault(); f(); }
  };
  const si = Math.floor(step / cols);
  const sj = step % cols;
  const oi = hg.windows[si];
  const oj = wg.windows[sj];
  const done = (i: number, j: number) => hg.windows.indexOf(i) * cols + wg.windows.indexOf(j) < step;
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
        <WindowGrids e={e} hg={hg} wg={wg} oi={oi} oj={oj} done={done} gather={gather} />
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
      <p className="wx-where" data-testid="wx-where" aria-live="polite">{whereText(hg, wg, si, sj, gather)}</p>
      {(hg.runs.length > 1 || wg.runs.length > 1) && <p className="wx-note muted" data-testid="wx-elided">{elidedText(hg, wg, gather)}</p>}
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


/** Where the window is, and when this step jumped over hidden windows, which ones (in the words on screen). */
function whereText(hg: AxisGrid, wg: AxisGrid, si: number, sj: number, gather: boolean): string {
  const here = `${gather ? 'Output' : 'Input'} cell (${hg.windows[si]}, ${wg.windows[sj]})`;
  // a jump: this step is the first drawn after the hidden windows, along the row (or down, at a row's start)
  const jumped = (g: AxisGrid, i: number) => g.hiddenWindows && g.windows[i] === g.hiddenWindows.to ? g.hiddenWindows : null;
  const across = jumped(wg, sj);
  const down = sj === 0 ? jumped(hg, si) : null;
  const skipped = across ?? down;
  if (!skipped) return `${here}.`;
  const n = skipped.to - skipped.from;
  return `${here}: the window jumped ${across ? 'across' : 'down'} over ${formatInt(n)} hidden position${n === 1 ? '' : 's'} (${runText(skipped)}).`;
}

/** What a large layer's drawing leaves out, per axis (one sentence for both when they are alike). */
function elidedText(hg: AxisGrid, wg: AxisGrid, gather: boolean): string {
  const grid = gather ? 'input' : 'output';
  const part = (g: AxisGrid, axis: 0 | 1, both: boolean) => {
    const gap = hiddenCells(g);
    if (!gap) return null;
    const words = both ? 'Rows and columns' : axis === 0 ? 'Rows' : 'Columns';
    const unreached = g.hiddenUnreached.length ? `, ${formatInt(g.hiddenUnreached.length)} of them unreached` : '';
    const windows = g.hiddenWindows ? `, and with them ${gather ? 'windows' : 'the windows of input cells'} ${runText(g.hiddenWindows)}` : '';
    return `${words} ${runText(gap)} of the ${grid} are left out (the … gap${unreached})${windows}.`;
  };
  const same = hiddenCells(hg) && hiddenCells(wg) && runText(hiddenCells(hg)!) === runText(hiddenCells(wg)!)
    && hg.hiddenUnreached.length === wg.hiddenUnreached.length && JSON.stringify(hg.hiddenWindows) === JSON.stringify(wg.hiddenWindows);
  const lines = same ? [part(hg, 0, true)] : [part(hg, 0, false), part(wg, 1, false)];
  const drawn = `${hg.windows.length}×${wg.windows.length} of the ${formatInt(hg.windowCount)}×${formatInt(wg.windowCount)} ${gather ? 'windows' : 'input cells'} are drawn: the first and the last, so the last window and what it leaves are in view; stepping jumps over the hidden ones.`;
  return `${lines.filter(Boolean).join(' ')} ${drawn}`;
}
