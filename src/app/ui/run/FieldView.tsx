/**
 * The Run tab's picture of what one unit sees (docs/effective-field.md): the input image with, over it, the
 * unit's theoretical field (the box), its effective field (the gradient map of that unit, computed in the run
 * worker by the same function as `convas erf`, and the square holding 90% of it), and "How the field grows": the
 * chain of fields from the image to the layer, each drawn on the image around the unit's centre.
 */

import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { formatPair, formatPairShort, formatStridePair, type NodeAnalysis, type ReceptiveField } from '../../../engine/index.ts';
import { fieldGrowth, type FieldGrowthStep } from '../../../engine/field-growth.ts';
import { fieldCentre, type EffectiveField } from '../../../drivers/compile/erf-field.ts';
import { useEditor } from '../../store/editor-context.tsx';
import { RunCancelled, type RunClient } from './run-client.ts';
import { unitBox } from './unit-box.ts';

/** Side of the image on the tab, in CSS pixels. */
const SIZE = 160;

type Box = [number, number, number, number];

/** A box of `size` input pixels centred (rounded down) on pixel `centre`, clipped to the image: [top, left, bottom, right]. */
function centredBox(centre: [number, number], size: [number, number], h: number, w: number): Box {
  const top = centre[0] - Math.floor((size[0] - 1) / 2);
  const left = centre[1] - Math.floor((size[1] - 1) / 2);
  return [Math.max(0, top), Math.max(0, left), Math.min(h - 1, top + size[0] - 1), Math.min(w - 1, left + size[1] - 1)];
}

const boxText = (b: Box) => `rows ${b[0]}–${b[2]}, columns ${b[1]}–${b[3]}`;

/** The input image, with optional overlays: the picked unit's box, a heat map, the 90% square and rings. */
export function InputPreview({ src, h, w, box, heat, square, rings, size = SIZE }: {
  src: string | null; h: number; w: number; box: Box | null; heat?: number[][] | null; square?: Box | null;
  rings?: { box: Box; active: boolean; label: string }[]; size?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !heat) return;
    const rgba = new Uint8ClampedArray(h * w * 4);
    heat.forEach((row, i) => row.forEach((v, j) => {
      // dark red for small gradients to yellow for the largest; the square root keeps the tails visible
      const p = (i * w + j) * 4;
      const t = Math.sqrt(Math.max(0, Math.min(1, v)));
      rgba[p] = 255;
      rgba[p + 1] = Math.round(40 + 215 * t);
      rgba[p + 2] = Math.round(40 * (1 - t));
      rgba[p + 3] = Math.round(235 * t);
    }));
    ctx.putImageData(new ImageData(rgba, w, h), 0, 0);
  }, [heat, h, w]);
  if (!src) return null;
  const sy = size / h;
  const sx = size / w;
  const place = (b: Box) => ({ top: b[0] * sy, left: b[1] * sx, height: (b[2] - b[0] + 1) * sy, width: (b[3] - b[1] + 1) * sx });
  return (
    <div className="run-preview" style={{ width: size, height: size }} data-testid="run-preview">
      <img src={src} alt="input image" width={size} height={size} />
      {heat && <canvas ref={canvas} className="erf-heat" width={w} height={h} data-testid="erf-heat" style={{ width: size, height: size }} />}
      {rings?.map((r, i) => <div key={i} className={`growth-ring${r.active ? ' active' : ''}`} style={place(r.box)} title={r.label} />)}
      {square && <div className="erf-square" data-testid="erf-square" style={place(square)} title={`90% of the gradient: ${boxText(square)}`} />}
      {box && <div className="rf-box" data-testid="rf-box" style={place(box)} title={boxText(box)} />}
    </div>
  );
}

/** "5 = 3 + (3 − 1)·1" for one axis, or the sizes alone where the step is no single window (a merge, an upsampling). */
function stepFormula(s: FieldGrowthStep, a: 0 | 1): string {
  const k = s.kernel[a];
  const j = s.before.stride[a];
  if (k === null || !Number.isInteger(j)) return `${s.before.size[a]} → ${s.field.size[a]}`;
  return `${s.field.size[a]} = ${s.before.size[a]} + (${k} − 1)·${j}`;
}

/**
 * The field of the selected layer's unit on the image: theoretical box, effective map and 90% square, and the
 * chain of fields back to the image. `unit` is the unit clicked on a feature map, or null for the centre unit; `run`
 * the result of the run whose model the worker holds (null before a run, or once the design changed since).
 */
export function FieldView({ client, run, nodeId, unit, src, h, w, children }: {
  client: RunClient | null; run: object | null; nodeId: string | null; unit: [number, number] | null; src: string | null; h: number; w: number;
  /** notes about the image, drawn under it */
  children?: ReactNode;
}) {
  const nodeAnalysis = useEditor((s) => s.nodeAnalysis);
  const a: NodeAnalysis | undefined = nodeId ? nodeAnalysis[nodeId] : undefined;
  const nodesById = useEditor((s) => s.nodesById);
  const rf: ReceptiveField | null = a?.receptiveField ?? null;
  const shape = a?.outputShape;
  const spatial = !!rf && shape?.length === 3;
  const centreUnit: [number, number] | null = spatial ? [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2)] : null;
  const theUnit = unit ?? centreUnit;
  const [show, setShow] = useState(true);
  const [field, setField] = useState<EffectiveField | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const steps = useMemo(() => (nodeId && spatial ? fieldGrowth(nodeAnalysis, nodeId) : []), [nodeAnalysis, nodeId, spatial]);

  const unitKey = theUnit ? theUnit.join(',') : '';
  useEffect(() => {
    setField(null);
    setError(null);
    if (!client || !run || !show || !nodeId || !spatial || !theUnit) return;
    let live = true;
    setBusy(true);
    client.effectiveField(nodeId, unit ?? undefined)
      .then((f) => live && setField(f))
      .catch((e) => live && !(e instanceof RunCancelled) && setError((e as Error).message))
      .finally(() => live && setBusy(false));
    return () => { live = false; setBusy(false); };
    // the unit by value: a new array of the same unit asks nothing again
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, run, show, nodeId, spatial, unitKey]);

  const shown = field && field.node === nodeId && theUnit && field.unit[0] === theUnit[0] && field.unit[1] === theUnit[1] ? field : null;
  const theoretical = rf && theUnit && spatial ? unitBox(rf, theUnit[0], theUnit[1], h, w) : null;
  const centre = rf && theUnit ? fieldCentre(rf, theUnit, h, w) : null;
  const square: Box | null = shown && centre ? centredBox(centre, [2 * shown.radius90 + 1, 2 * shown.radius90 + 1], h, w) : null;
  const rings = centre && !rf?.phases && hover !== null && steps[hover]
    ? steps.slice(0, hover + 1).map((s, i) => ({ box: centredBox(centre, s.field.size, h, w), active: i === hover, label: `${nodesById[s.nodeId]?.name ?? s.nodeId}: ${formatPair(s.field.size)}` }))
    : [];
  const name = nodeId ? nodesById[nodeId]?.name ?? nodeId : '';

  // with How the field grows, the image stands in a column of its own and the text and the list scroll beside it
  // (run.css): at 1280×720 the panel is too short for both one above the other
  const growth = steps.length > 1;

  return (
    <div className={growth ? 'field-view has-growth' : 'field-view'} data-testid="field-view">
      <div className="field-image">
        <InputPreview src={src} h={h} w={w} box={theoretical} heat={shown && show ? shown.map : null} square={show ? square : null} rings={rings} />
        {children}
      </div>
      <div className="field-side" data-testid="field-side">
      {nodeId && spatial && theUnit && (
        <div className="field-text">
          <label className="erf-toggle">
            <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} /> Effective field
          </label>
          <p data-testid="erf-summary">
            Unit ({theUnit[0]}, {theUnit[1]}) of <code>{name}</code>{unit ? '' : ' (centre)'}: theoretical field <strong>{formatPair(rf!.size)}</strong>
            {show && shown && <>; 90% of its gradient within <strong data-testid="erf-radius">{shown.radius90}</strong> px of the centre (a {2 * shown.radius90 + 1}×{2 * shown.radius90 + 1} square)</>}
            {show && busy && !shown && <span className="muted"> · computing its gradient…</span>}
            {show && !run && <span className="muted"> · run the design to see its effective field</span>}
          </p>
          {error && <p className="run-error" role="alert">Effective field: {error}</p>}
        </div>
      )}
      {growth && (
        <div className="field-growth" data-testid="field-growth">
          <h4>How the field grows</h4>
          <ol onMouseLeave={() => setHover(null)}>
            {steps.map((s, i) => {
              const same = s.field.size[0] === s.field.size[1] && s.kernel[0] === s.kernel[1] && s.before.stride[0] === s.before.stride[1];
              const formula = i === 0 ? 'one pixel' : same ? stepFormula(s, 0) : `${stepFormula(s, 0)}; ${stepFormula(s, 1)}`;
              return (
                <li key={s.nodeId} tabIndex={0} className={hover === i ? 'active' : ''} data-testid="growth-step"
                  onMouseEnter={() => setHover(i)} onFocus={() => setHover(i)} onBlur={() => setHover(null)}
                  title={i === 0 ? 'the image: each pixel sees itself' : `field r = r before + (k − 1)·j before, where j is the stride so far (${formatStridePair(s.before.stride)})`}>
                  <span className="growth-name">{nodesById[s.nodeId]?.name ?? s.nodeId}</span>
                  <span className="growth-size">{formatPairShort(s.field.size)}</span>
                  <span className="growth-formula muted">{formula}{i > 0 && (s.ownStride[0] !== 1 || s.ownStride[1] !== 1) ? ` · stride ${formatStridePair(s.before.stride)} → ${formatStridePair(s.field.stride)}` : ''}</span>
                </li>
              );
            })}
          </ol>
        </div>
      )}
      </div>
    </div>
  );
}
