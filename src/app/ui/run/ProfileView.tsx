/**
 * The Run tab's Profile view (docs/command-line.md#profile, the same measurement as `convas profile`): every layer
 * of the compiled design timed on this machine in the run worker (drivers/compile/profile.ts: two warm-up passes,
 * then N timed ones, medians), sorted by time, with its share, MACs, MACs per millisecond and a bar; the
 * groups' sums; the whole pass timed the same way, and as one predict; the backend and the device named. It
 * runs in a worker of its own, so a profile leaves the run's outputs and feature maps as they are. **Paint the
 * canvas** sets the canvas's Bars to the times.
 */

import { useEffect, useMemo, useRef, useState } from 'react';
import { formatCompact, formatInt, profileTable, sameNetwork, type Design } from '../../../engine/index.ts';
import type { BrowserBackend, RunWeights, WasmThreads } from '../../../drivers/compile/protocol.ts';
import { useEditor, useEditorStore } from '../../store/editor-context.tsx';
import { RunCancelled, RunClient, type ProfileResult } from './run-client.ts';
import { useProfileTimes } from './profile-store.ts';
import { formatMs, formatRate } from './profile-format.ts';
import { WasmNote, wasmThreadsText } from './WasmNote.tsx';

/** The timed passes a person can ask for; 5 is `convas profile`'s default. */
const RUN_CHOICES = [3, 5, 10, 20];

/** "wasm, 2 threads, SIMD on the processor (2 logical cores)": where a profile was measured, for tooltips. */
export function profiledWhere(r: ProfileResult): string {
  return `${r.backend}${r.wasm ? `, ${wasmThreadsText(r.wasm).split(':')[0]}` : ''} on ${r.device}`;
}

export function ProfileView({ design, backend, seed, weights, threads, onClose }: {
  design: Design; backend: BrowserBackend; seed: number; weights: RunWeights | undefined; threads: WasmThreads; onClose: () => void;
}) {
  const store = useEditorStore();
  const valid = useEditor((s) => s.analysis.valid);
  const totalMacs = useEditor((s) => s.analysis.totals.macs);
  const loadSeq = useEditor((s) => s.loadSeq);
  const { result, design: profiled, setProfile, forget } = useProfileTimes();
  const client = useRef<RunClient | null>(null);
  const [runs, setRuns] = useState(5);
  const [progress, setProgress] = useState<{ stage: string; done?: number; total?: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => client.current?.dispose(), []);
  // another design opened: its times would paint the wrong layers
  // (a profile still timing the old one is stopped too: landing later, it would show the old network's times)
  const shownFor = useRef(loadSeq);
  useEffect(() => {
    if (loadSeq === shownFor.current) return;
    shownFor.current = loadSeq;
    client.current?.cancel();
    setProgress(null);
    setError(null);
    forget();
  }, [loadSeq, forget]);

  async function start() {
    const startedAt = shownFor.current;
    setError(null);
    client.current ??= new RunClient();
    setProgress({ stage: 'Starting the backend…' });
    try {
      const r = await client.current.profile(design, backend, seed, runs,
        (stage) => setProgress({ stage: stage === 'compile' ? 'Compiling…' : 'Starting the backend…' }),
        (done, total) => setProgress({ stage: 'Timing', done, total }),
        weights, threads);
      if (shownFor.current !== startedAt) return; // another design opened meanwhile
      setProfile(r, design, profiledWhere(r));
    } catch (e) {
      if (!(e instanceof RunCancelled)) setError((e as Error).message);
    } finally {
      setProgress(null);
    }
  }

  // opening the view on a design with no profile yet starts one: that is what the button promised
  const started = useRef(false);
  useEffect(() => {
    if (started.current || result || !valid) return;
    started.current = true;
    void start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on opening
  }, []);

  function cancel() {
    client.current?.cancel();
    setProgress(null);
    setError('Profile cancelled.');
  }

  const table = useMemo(() => (result && profiled ? profileTable(profiled, result.nodes) : null), [result, profiled]);
  // positions and groups change only the drawing: a profile stays the design's until its network changes
  const stale = useMemo(() => result !== null && (profiled === null || !sameNetwork(profiled, design)), [result, profiled, design]);
  const select = (id: string) => {
    if (!store.getState().nodesById[id]) return;
    store.getState().reveal(id);
  };

  return (
    <section className="run-profile" data-testid="profile-view" aria-label="Profile">
      <header className="profile-head">
        <strong>Profile</strong>
        {progress ? (
          <>
            <button type="button" className="run-button" onClick={cancel}>Cancel</button>
            <span className="run-stage" role="status" data-testid="profile-progress">
              {progress.total ? `Timing pass ${progress.done} of ${progress.total} (${result?.warmup ?? 2} warm-up)…` : progress.stage}
            </span>
          </>
        ) : (
          <button type="button" className="run-button primary" onClick={() => void start()} disabled={!valid}
            data-testid="profile-start" title={valid ? 'Time every layer on this machine' : 'Fix the errors first'}>
            {result ? 'Profile again' : 'Profile'}
          </button>
        )}
        <label className="profile-runs">Timed passes
          <select value={runs} aria-label="Timed passes" onChange={(e) => setRuns(Number(e.target.value))} disabled={!!progress}>
            {RUN_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {result && (
          <button type="button" className="run-button" data-testid="profile-paint"
            onClick={() => store.getState().setStat('time')} title="Bars on the canvas: each layer's time, relative to the slowest">
            Paint the canvas by time
          </button>
        )}
        <button type="button" className="profile-close" onClick={onClose} aria-label="Close the profile" title="Back to the outputs">×</button>
      </header>
      {error && <p className="run-error" role="alert">{error}</p>}
      {result && table ? (
        <>
          <p className="profile-meta" data-testid="profile-meta">
            <strong>{result.backend}</strong>{result.wasm && <WasmNote wasm={result.wasm} />} on <span data-testid="profile-device">{result.device}</span>
            {' · '}{result.runs} timed passes after {result.warmup} warm-up, medians
            {' · '}{result.weights === 'loaded' ? 'loaded weights' : `random weights (seed ${seed})`}, seeded random input
            {backend !== result.backend && <span className="run-stale"> · {backend} could not start here</span>}
            {stale && <span className="run-stale"> · the design changed since this profile</span>}
          </p>
          <p className="profile-meta" data-testid="profile-pass">
            Layer by layer: <strong>{formatMs(result.forwardMs)}</strong> per pass; the layers add up to {formatMs(table.sumMs)}
            {' '}({(100 * table.sumMs / result.forwardMs).toFixed(1)}% of the pass) · one predict: {formatMs(result.predictMs)}
            {' · '}{formatCompact(totalMacs)}MACs: {formatInt(Math.round(totalMacs / result.forwardMs))} MACs/ms
          </p>
          <div className="profile-body">
            <div className="profile-table-wrap">
              <table className="profile-table" data-testid="profile-table">
                <thead>
                  <tr><th>#</th><th>Layer</th><th>Kind</th><th className="num">ms</th><th className="num">Share</th><th className="num">MACs</th><th className="num">MACs/ms</th><th>time</th></tr>
                </thead>
                <tbody>
                  {table.rows.map((r, i) => (
                    <tr key={r.id} data-testid="profile-row" data-node={r.id} onClick={() => select(r.id)} title="Show this layer on the canvas">
                      <td className="num muted">{i + 1}</td>
                      <td className="profile-name">{r.label}</td>
                      <td className="muted">{r.kind}</td>
                      <td className="num" data-testid="profile-ms">{formatMs(r.ms)}</td>
                      <td className="num">{(100 * r.share).toFixed(1)}%</td>
                      <td className="num">{r.macs > 0 ? formatCompact(r.macs) : '–'}</td>
                      <td className="num">{formatRate(r.macsPerMs)}</td>
                      <td className="profile-bar"><div style={{ width: `${(100 * r.ms) / table.rows[0].ms}%` }} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {table.groups.length > 0 && (
              <div className="profile-groups" data-testid="profile-groups">
                <strong>Groups</strong>
                <table className="profile-table">
                  <tbody>
                    {table.groups.map((g) => (
                      <tr key={g.id}>
                        <td className="profile-name">{g.label}</td>
                        <td className="num">{formatMs(g.ms)}</td>
                        <td className="num">{(100 * g.share).toFixed(1)}%</td>
                        <td className="profile-bar"><div style={{ width: `${(100 * g.ms) / table.groups[0].ms}%` }} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </>
      ) : !progress && !error ? (
        <p className="muted">Times every layer of the design on this machine, as <code>convas profile</code> does: two warm-up passes, then the timed ones, each layer&apos;s median.</p>
      ) : null}
    </section>
  );
}
