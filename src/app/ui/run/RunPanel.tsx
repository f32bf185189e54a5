/**
 * The Run panel: compiles the design with tfjs in a Web Worker and runs one forward pass on a sample image or
 * the user's own, with seeded random weights or weights the user loads (a tfjs model.json and its .bin files);
 * shows the outputs, the times and the backend, the feature maps of the selected node (a click opens one large,
 * with its value range and scale), and, for a unit picked on it, the box of input pixels that unit sees (its
 * receptive field, its effective field and how the field grows: FieldView.tsx). Your own image is centre-cropped to the input's aspect (or stretched), and the tab says which.
 */

import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatInt, formatShape, isInputKind, sameNetwork } from '../../../engine/index.ts';
import type { BrowserBackend, FeatureChannel } from '../../../drivers/compile/protocol.ts';
import { DEFAULT_IMAGE_FIT, type ImageFit } from '../../../drivers/compile/image-fit.ts';
import { useEditor } from '../../store/editor-context.tsx';
import { expectedTime, MACS_PER_SECOND } from '../../../drivers/compile/budget.ts';
import { DEFAULT_SEED, loadImage, RunCancelled, RunClient, type FeatureMaps, type RunResult, type Stage } from './run-client.ts';
import { describeWeights, readWeightsFromFiles, useRunWeights } from './weights-store.ts';
import { ProfileView } from './ProfileView.tsx';
import { WasmNote } from './WasmNote.tsx';
import type { WasmThreads } from '../../../drivers/compile/protocol.ts';
import { WholeNumberInput } from '../WholeNumberInput.tsx';
import { FieldView, InputPreview } from './FieldView.tsx';
import { unitBox } from './unit-box.ts';
import { ClassMapView } from './ClassMapView.tsx';
import { TrainedWeightsNote, useTrainedChoice } from './TrainedWeightsNote.tsx';
import './run.css';

const SAMPLES = [
  { id: 'shapes', label: 'Shapes', url: '/samples/shapes.png' },
  { id: 'stripes', label: 'Stripes', url: '/samples/stripes.png' },
  { id: 'checker', label: 'Checker', url: '/samples/checker.png' },
];
/**
 * Whether this browser gives WebGPU an adapter (a browser can have `navigator.gpu` and still no adapter, as
 * headless Chromium without a GPU does). Asked once, when the Run tab first shows.
 */
let webgpuOffered: Promise<boolean> | null = null;
function offersWebgpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  webgpuOffered ??= gpu ? gpu.requestAdapter().then((a) => !!a, () => false) : Promise.resolve(false);
  return webgpuOffered;
}

/** The GPU backends this browser offers (the worker falls back to cpu, and says so, if one fails to start). */
const OFFERED = {
  webgl: (() => {
    try {
      return typeof OffscreenCanvas !== 'undefined' && !!new OffscreenCanvas(1, 1).getContext('webgl2');
    } catch {
      return false;
    }
  })(),
};

const STAGE_TEXT: Record<Stage, string> = { backend: 'Starting the backend…', compile: 'Compiling…', forward: 'Forward pass…' };

interface Picked {
  nodeId: string;
  row: number;
  col: number;
}

export function RunPanel() {
  const design = useEditor((s) => s.design);
  const selected = useEditor((s) => (s.selection.length === 1 ? s.selection[0] : null));
  const { inputShape, valid } = useEditor(useShallow((s) => {
    const input = s.design.nodes.find((n) => isInputKind(n.kind));
    return { inputShape: input ? s.nodeAnalysis[input.id]?.outputShape ?? null : null, valid: s.analysis.valid };
  }));
  const nodeAnalysis = useEditor((s) => (selected ? s.nodeAnalysis[selected] : undefined));
  const macs = useEditor((s) => s.analysis.totals.macs);

  const client = useRef<RunClient | null>(null);
  const [source, setSource] = useState<string | File>(SAMPLES[0].url);
  const [backend, setBackend] = useState<BrowserBackend>('wasm');
  const [threads, setThreads] = useState<WasmThreads>('auto');
  /** the Profile view is open over the outputs */
  const [profileOpen, setProfileOpen] = useState(false);
  const [webgpu, setWebgpu] = useState(false);
  useEffect(() => {
    let live = true;
    void offersWebgpu().then((ok) => live && setWebgpu(ok));
    return () => {
      live = false;
    };
  }, []);
  /** the backend the shown result was asked to run on */
  const [ranOn, setRanOn] = useState<BrowserBackend | null>(null);
  const [seed, setSeed] = useState(DEFAULT_SEED);
  const [stage, setStage] = useState<Stage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RunResult | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [fit, setFit] = useState<ImageFit>(DEFAULT_IMAGE_FIT);
  /** how the shown run's image was fitted to the input, in words */
  const [fitText, setFitText] = useState<string | null>(null);
  /** the feature map shown large, by channel index */
  const [viewing, setViewing] = useState<number | null>(null);
  const [maps, setMaps] = useState<FeatureMaps | null>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  const ranDesign = useRef<typeof design | null>(null);
  /** what the shown result ran with: the loaded file's name, or the seed */
  const [ranWith, setRanWith] = useState<{ file: string } | { trained: string } | { seed: number } | null>(null);
  const { loaded, useLoaded, setLoaded, setUseLoaded } = useRunWeights();
  const fileWeights = useLoaded && loaded ? loaded : null;
  // an imported model's trained weights (the store's), unless a loaded file or random ones are chosen
  const trained = useTrainedChoice();
  const trainedWeights = !fileWeights ? trained.nodeWeights : undefined;
  const [readingWeights, setReadingWeights] = useState(false);

  useEffect(() => () => client.current?.dispose(), []);

  // Another design opened: the last run's outputs and maps were of the old network, so they go.
  const loadSeq = useEditor((s) => s.loadSeq);
  const shownFor = useRef(loadSeq);
  useEffect(() => {
    if (shownFor.current === loadSeq) return;
    shownFor.current = loadSeq;
    client.current?.cancel();
    ranDesign.current = null;
    setResult(null);
    setMaps(null);
    setPicked(null);
    setViewing(null);
    setError(null);
    setRanWith(null);
  }, [loadSeq]);

  const h = inputShape?.length === 3 ? inputShape[0] : 0;
  const w = inputShape?.length === 3 ? inputShape[1] : 0;

  async function run() {
    setError(null);
    setResult(null);
    setMaps(null);
    setPicked(null);
    setViewing(null);
    if (!h) return setError('The Run panel feeds an image: the design needs an input of shape [H, W, C].');
    try {
      const { pixels, preview: url, fitText: said } = await loadImage(source, h, w, fit);
      setPreview(url);
      setFitText(said);
      client.current ??= new RunClient();
      setStage('backend');
      const weights = fileWeights ? { specs: fileWeights.specs, data: fileWeights.data, fileName: fileWeights.modelFile } : undefined;
      const r = await client.current.run(design, pixels, backend, seed, setStage, weights, threads, trainedWeights);
      setRanOn(backend);
      ranDesign.current = design;
      setRanWith(r.weights === 'loaded' && fileWeights ? { file: fileWeights.modelFile } : r.weights === 'loaded' && trainedWeights ? { trained: trained.label } : { seed });
      setResult(r);
    } catch (e) {
      if (!(e instanceof RunCancelled)) setError((e as Error).message);
    } finally {
      setStage(null);
    }
  }

  function cancel() {
    client.current?.cancel();
    setStage(null);
    setError('Run cancelled.');
  }

  // The shown run is of the design as it is unless the network changed since: the positions an auto-layout writes
  // just after a design opened without them, or a dragged layer, change only the drawing (engine sameNetwork).
  const stale = useMemo(() => result !== null && (ranDesign.current === null || !sameNetwork(ranDesign.current, design)), [result, design]);

  // Feature maps follow the selection once a run has finished.
  useEffect(() => {
    if (!result || !selected || !client.current || stale) return;
    let live = true;
    client.current.featureMaps(selected).then((m) => live && setMaps(m)).catch((e) => live && !(e instanceof RunCancelled) && setError((e as Error).message));
    return () => { live = false; };
  }, [result, selected, stale]);

  const box = picked && nodeAnalysis?.receptiveField && picked.nodeId === selected
    ? unitBox(nodeAnalysis.receptiveField, picked.row, picked.col, h, w) : null;

  function onFile(file: File | undefined) {
    if (file) setSource(file);
  }

  async function onWeightFiles(input: HTMLInputElement) {
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same files again reads them again
    if (files.length === 0) return;
    setError(null);
    setReadingWeights(true);
    try {
      setLoaded(await readWeightsFromFiles(files));
    } catch (e) {
      setError(`Could not load the weights: ${(e as Error).message}`);
    } finally {
      setReadingWeights(false);
    }
  }

  return (
    <div className="run-panel" data-testid="run-panel"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => { e.preventDefault(); e.stopPropagation(); onFile(e.dataTransfer.files[0]); }}>
      <section className="run-controls">
        <div className="run-row run-go">
          {stage ? (
            <>
              <button type="button" className="run-button" onClick={cancel}>Cancel</button>
              <span className="run-stage" role="status">{STAGE_TEXT[stage]}</span>
              {macs / (MACS_PER_SECOND[backend] ?? MACS_PER_SECOND.cpu) >= 2 && (
                <span className="run-expected muted" data-testid="run-expected">{formatInt(macs)} MACs: {expectedTime(macs, backend)}</span>
              )}
            </>
          ) : (
            <button type="button" className="run-button primary" onClick={run} disabled={!valid}
              title={valid ? 'Compile with TensorFlow.js and run one forward pass' : 'Fix the errors first'}>Run forward pass</button>
          )}
          {!profileOpen && (
            <button type="button" className="run-button" onClick={() => setProfileOpen(true)} data-testid="profile-open"
              title="Time every layer on this machine (as convas profile)">Profile layers</button>
          )}
        </div>
        <div className="run-row">
          <label>Image
            <select value={typeof source === 'string' ? source : 'file'} aria-label="Sample image"
              onChange={(e) => e.target.value !== 'file' && setSource(e.target.value)}>
              {SAMPLES.map((s) => <option key={s.id} value={s.url}>{s.label}</option>)}
              {typeof source !== 'string' && <option value="file">{source.name}</option>}
            </select>
          </label>
          <label className="run-file">Your image…
            <input type="file" accept="image/*" data-testid="run-image-input" onChange={(e) => onFile(e.target.files?.[0])} />
          </label>
          <label>Fit
            <select value={fit} aria-label="Fit" data-testid="run-fit-select" onChange={(e) => setFit(e.target.value as ImageFit)}
              title="How an image of another shape becomes the input: cut to the input's aspect around its centre, or stretched">
              <option value="crop">centre-crop (default)</option>
              <option value="stretch">stretch</option>
            </select>
          </label>
        </div>
        <div className="run-row">
          <label>Backend
            <select value={backend} onChange={(e) => setBackend(e.target.value as BrowserBackend)} aria-label="Backend">
              <option value="wasm">wasm (default)</option>
              <option value="webgl" disabled={!OFFERED.webgl}>webgl{OFFERED.webgl ? '' : ' (not offered here)'}</option>
              <option value="webgpu" disabled={!webgpu}>webgpu{webgpu ? '' : ' (not offered here)'}</option>
              <option value="cpu">cpu</option>
            </select>
          </label>
          <label>Threads
            <select value={threads} onChange={(e) => setThreads(e.target.value as WasmThreads)} aria-label="Threads" disabled={backend !== 'wasm'}
              title="wasm: one thread per core where the page is cross-origin isolated, or a single thread to compare">
              <option value="auto">{navigator.hardwareConcurrency > 1 ? `auto (${navigator.hardwareConcurrency})` : 'auto'}</option>
              <option value="single">1</option>
            </select>
          </label>
          <label>Seed
            <WholeNumberInput value={seed} min={0} max={2 ** 31 - 1} label="Seed" className="run-seed" aria-label="Seed"
              title={fileWeights ? 'The seed makes the random weights; runs now use the loaded ones' : 'The seed of the random weights'}
              onValue={setSeed} />
          </label>
        </div>
        <div className="run-row">
          <label>Weights
            <select value={fileWeights ? 'file' : trainedWeights ? 'trained' : 'random'} aria-label="Weights" data-testid="weights-select"
              onChange={(e) => {
                setUseLoaded(e.target.value === 'file');
                trained.setUseTrained(e.target.value === 'trained');
              }}>
              <option value="random">random (seed {seed})</option>
              {trained.source && <option value="trained">{trained.source}</option>}
              {loaded && <option value="file">{loaded.modelFile}</option>}
            </select>
          </label>
          <label className="run-file" title="A tfjs model.json and the .bin file(s) its weightsManifest names, picked together">
            {readingWeights ? 'Reading…' : 'Load weights…'}
            <input type="file" multiple accept=".json,.bin,application/json,application/octet-stream" data-testid="weights-input"
              onChange={(e) => void onWeightFiles(e.currentTarget)} />
          </label>
        </div>
        {fileWeights && (
          <p className="run-weights-file" data-testid="weights-in-use">
            Runs use {describeWeights(fileWeights)}.{' '}
            <button type="button" className="run-link" onClick={() => setUseLoaded(false)}>Back to random</button>
          </p>
        )}
        {trainedWeights && <TrainedWeightsNote onSeeded={() => trained.setUseTrained(false)} />}
        {error && <p className="run-error" role="alert">{error}</p>}
      </section>

      <section className="run-input">
        <FieldView client={client.current} run={result && !stale ? result : null} nodeId={selected} src={preview} h={h} w={w}
          unit={picked && picked.nodeId === selected ? [picked.row, picked.col] : null}>
          {preview && fitText && <p className="run-fit" data-testid="run-fit">{fitText}</p>}
        </FieldView>
      </section>

      <section className="run-results">
        {result ? (
          <>
            <p className="run-meta" data-testid="run-meta">
              <strong>{result.backend}</strong>
              {ranOn && ranOn !== result.backend && <span className="run-stale" data-testid="run-fallback"> ({ranOn} could not start here)</span>}
              <WasmNote wasm={result.wasm} />
              {' · '}{formatInt(result.params)} params · compile {result.compileMs.toFixed(0)} ms · forward {result.forwardMs.toFixed(0)} ms
              {' · '}<span data-testid="run-weights">{ranWith && 'file' in ranWith ? `weights from ${ranWith.file}` : ranWith && 'trained' in ranWith ? ranWith.trained : `random weights (seed ${ranWith?.seed ?? seed})`}</span>
              {stale && <span className="run-stale"> · the design changed since this run</span>}
            </p>
            {Object.entries(result.outputs).map(([id, o]) => (
              <div key={id} className="run-output" data-testid="run-output">
                <div>Output <code>{id}</code>: <strong data-testid="run-output-shape">{formatShape(o.shape)}</strong></div>
                {o.min !== undefined && (
                  <div className="run-stats" data-testid="run-output-values">
                    min {o.min.toPrecision(5)} · mean {o.mean!.toPrecision(5)} · max {o.max!.toPrecision(5)}
                  </div>
                )}
                {o.classMap && (
                  <ClassMapView id={id} shape={o.shape} classMap={o.classMap} src={preview} inH={h} inW={w} seeded={result.weights !== 'loaded'} />
                )}
                {o.top5 && o.shape[0] > 1 && (
                  <div role="group" aria-label={`Top 5 (${result.weights === 'loaded' ? 'loaded' : 'random'} weights)`}>
                    <ol className="run-top5">
                      {o.top5.map((t) => <li key={t.index}>class {t.index}: {t.value.toPrecision(5)}</li>)}
                    </ol>
                    {result.weights !== 'loaded' && <p className="muted run-top5-note">random weights: the classes mean nothing yet</p>}
                  </div>
                )}
              </div>
            ))}
          </>
        ) : (
          <p className="muted">Runs the design in a Web Worker with random (seeded) weights, or with trained ones from <strong>Load weights…</strong> (a tfjs model.json and its .bin files, matched by layer name); the canvas stays usable meanwhile. Then select a layer to see its feature maps, and click a unit to see which input pixels it sees.</p>
        )}
      </section>

      <section className="run-maps">
        {maps && maps.nodeId === selected ? (
          <FeatureGrid maps={maps} rfSize={nodeAnalysis?.receptiveField?.size ?? null} picked={picked} onOpen={setViewing} />
        ) : result && selected && !stale ? (
          <p className="muted" data-testid="run-maps-reading">Reading the feature maps of <code>{selected}</code>…</p>
        ) : result ? (
          <p className="muted">{stale ? 'The design changed since this run: run it again to see feature maps.' : 'Select a layer on the canvas to see its feature maps.'}</p>
        ) : null}
      </section>
      {profileOpen && (
        <ProfileView design={design} backend={backend} seed={seed} threads={threads} onClose={() => setProfileOpen(false)}
          weights={fileWeights ? { specs: fileWeights.specs, data: fileWeights.data, fileName: fileWeights.modelFile } : undefined} />
      )}
      {maps && maps.nodeId === selected && viewing !== null && maps.shape.length === 3 && maps.channels[viewing] && (
        <FeatureView maps={maps} index={viewing} onIndex={setViewing} onClose={() => setViewing(null)}
          rfSize={nodeAnalysis?.receptiveField?.size ?? null}
          picked={picked?.nodeId === maps.nodeId ? picked : null}
          onPick={(row, col) => setPicked({ nodeId: maps.nodeId, row, col })}
          input={<InputPreview src={preview} h={h} w={w} box={box} />} />
      )}
    </div>
  );
}

function FeatureGrid({ maps, rfSize, picked, onOpen }: {
  maps: FeatureMaps; rfSize: [number, number] | null; picked: Picked | null; onOpen: (index: number) => void;
}) {
  const [h, w, c] = maps.shape;
  if (maps.shape.length !== 3) {
    return (
      <div>
        <p><code>{maps.nodeId}</code>: {formatShape(maps.shape)} values (first {maps.values?.length})</p>
        <p className="run-values">{maps.values?.map((v) => v.toPrecision(3)).join('  ')}</p>
      </div>
    );
  }
  return (
    <div>
      <p className="run-maps-title">
        <code>{maps.nodeId}</code>: {h}×{w}, {maps.channels.length < c ? `first ${maps.channels.length} of ${c}` : `${c}`} channels
        {' · '}click one to see it large{rfSize ? `, then a unit to see the ${rfSize[0]}×${rfSize[1]} input pixels it sees` : ''}
      </p>
      <div className="feature-grid" data-testid="feature-grid">
        {maps.channels.map((ch, i) => (
          <figure key={i} className="thumb" title={`channel ${i}: ${ch.min.toPrecision(3)} … ${ch.max.toPrecision(3)} (click to enlarge)`}>
            <ChannelCanvas channel={ch} h={h} w={w} picked={picked?.nodeId === maps.nodeId ? picked : null}
              testId="feature-thumb" label={`Feature map ${i}: enlarge`} onClick={() => onOpen(i)} />
            <figcaption><strong>{i}</strong><br />{ch.min.toPrecision(2)} … {ch.max.toPrecision(2)}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

/** One channel drawn as grey levels (black = its minimum, white = its maximum), the picked unit in red. */
function ChannelCanvas({ channel, h, w, picked, testId, label, onClick, style }: {
  channel: FeatureChannel; h: number; w: number; picked: Picked | null; testId: string; label: string;
  onClick: (e: React.MouseEvent<HTMLCanvasElement>) => void; style?: React.CSSProperties;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rgba = useMemo(() => {
    const out = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      const v = channel.gray[p];
      out[p * 4] = v;
      out[p * 4 + 1] = v;
      out[p * 4 + 2] = v;
      out[p * 4 + 3] = 255;
    }
    return out;
  }, [channel, h, w]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(rgba, w, h), 0, 0);
    if (picked) {
      ctx.fillStyle = 'rgba(230, 40, 40, 0.9)';
      ctx.fillRect(picked.col, picked.row, 1, 1);
    }
  }, [rgba, picked, h, w]);
  return <canvas ref={ref} width={w} height={h} data-testid={testId} aria-label={label} role="button" style={style} onClick={onClick} />;
}

/** The largest side of a feature map shown large, in CSS pixels. */
const LARGE = 420;

/**
 * One feature map, large: its value range, the grey scale with its numbers, arrows to the next channel; a click
 * on a unit shows, on the input beside it, the box of pixels that unit sees. Escape closes it.
 */
function FeatureView({ maps, index, onIndex, onClose, rfSize, picked, onPick, input }: {
  maps: FeatureMaps; index: number; onIndex: (i: number) => void; onClose: () => void; rfSize: [number, number] | null;
  picked: Picked | null; onPick: (row: number, col: number) => void; input: React.ReactNode;
}) {
  const [h, w, c] = maps.shape;
  const ch = maps.channels[index];
  const n = maps.channels.length;
  const scale = LARGE / Math.max(h, w);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const mid = (ch.min + ch.max) / 2;
  return (
    <div className="fmap-backdrop" onClick={onClose}>
      <div className="fmap-dialog" role="dialog" aria-modal="true" aria-label={`Feature map ${index} of ${maps.nodeId}`} data-testid="feature-view"
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // the editor's own keys (Escape clears the selection) stay out while the map is open
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowRight') onIndex((index + 1) % n);
          else if (e.key === 'ArrowLeft') onIndex((index + n - 1) % n);
          else return;
          e.preventDefault();
        }}>
        <header className="fmap-head">
          <strong><code>{maps.nodeId}</code> · channel {index} of {c}</strong>
          <span className="muted">{h}×{w} units</span>
          <span className="fmap-nav">
            <button type="button" onClick={() => onIndex((index + n - 1) % n)} aria-label="Previous channel">‹</button>
            <button type="button" onClick={() => onIndex((index + 1) % n)} aria-label="Next channel">›</button>
            <button type="button" ref={closeRef} onClick={onClose} aria-label="Close">×</button>
          </span>
        </header>
        <div className="fmap-body">
          <ChannelCanvas channel={ch} h={h} w={w} picked={picked} testId="feature-large" label={`Feature map ${index}: click a unit`}
            style={{ width: w * scale, height: h * scale }}
            onClick={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              onPick(Math.min(h - 1, Math.floor(((e.clientY - r.top) / r.height) * h)), Math.min(w - 1, Math.floor(((e.clientX - r.left) / r.width) * w)));
            }} />
          <div className="fmap-scale" data-testid="fmap-scale" style={{ height: h * scale }} aria-label={`grey scale: black ${ch.min.toPrecision(4)}, white ${ch.max.toPrecision(4)}`}>
            <div className="fmap-bar" />
            <div className="fmap-ticks">
              <span>{ch.max.toPrecision(4)}</span>
              <span>{mid.toPrecision(4)}</span>
              <span>{ch.min.toPrecision(4)}</span>
            </div>
          </div>
          <div className="fmap-side">
            <p className="fmap-range" data-testid="fmap-range">values {ch.min.toPrecision(4)} … {ch.max.toPrecision(4)}</p>
            <p className="muted">black = minimum, white = maximum of this channel</p>
            {picked && <p data-testid="fmap-unit">unit (row {picked.row}, column {picked.col}){rfSize ? ` sees ${rfSize[0]}×${rfSize[1]} input pixels:` : ''}</p>}
            {!picked && rfSize && <p className="muted">Click a unit to see the {rfSize[0]}×{rfSize[1]} input pixels it sees.</p>}
            {input}
          </div>
        </div>
      </div>
    </div>
  );
}
