/**
 * A segmentation output seen as one: for an `[H, W, classes]` output, each pixel's highest-scoring class as a
 * colour over the input image (the VOC colour map), with an opacity slider, a legend (class → colour, share of
 * pixels) and the class under the pointer. A map smaller than the input is drawn where its units' receptive fields
 * are centred (U-Net: 92 pixels in), a map the input's size covers it (`placeClassMap`).
 */

import { useEffect, useMemo, useRef, useState } from 'react';
import { formatShape, formatStridePair } from '../../../engine/index.ts';
import { classCounts } from '../../../drivers/compile/class-map.ts';
import { useEditor } from '../../store/editor-context.tsx';
import { classColour, placeClassMap, type Placement } from './class-overlay.ts';

/** The longer side of the image under the class map at most, in CSS pixels (less where the column is narrower). */
const SIZE = 220;

const pct = (v: number, of: number) => `${(100 * v) / of}%`;

const pixelText = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0+$/, ''));
const pairText = (p: [number, number]) => (p[0] === p[1] ? pixelText(p[0]) : `${pixelText(p[0])}, ${pixelText(p[1])}`);

/** What the caption says about where the map lies on the input. */
function placementText(p: Placement, h: number, w: number, inH: number, inW: number, stride: [number, number] | null): string {
  const map = `The ${h}×${w} class map`;
  if (p.how === 'covers') return `${map} covers the ${inH}×${inW} input, one unit a pixel.`;
  if (p.how === 'stretched') return `${map} is stretched over the ${inH}×${inW} input: this output has no receptive field to place it by.`;
  return `${map} is drawn where its units look: unit (0, 0)'s receptive field is centred on input pixel (${pixelText(p.centre0[0])}, ${pixelText(p.centre0[1])}) `
    + `and the units are ${formatStridePair(stride!)} pixel${stride![0] === 1 && stride![1] === 1 ? '' : 's'} apart, so the map starts ${pairText(p.start)} pixels in.`;
}

/**
 * The class map of output `id` over the run's input image.
 * @param classMap one class index a unit, row-major, `shape[0] · shape[1]` long
 * @param src the input image as the run fed it (`inH × inW`)
 */
export function ClassMapView({ id, shape, classMap, src, inH, inW, seeded }: {
  id: string; shape: number[]; classMap: Int32Array; src: string | null; inH: number; inW: number; seeded: boolean;
}) {
  const [h, w, classes] = shape;
  const rf = useEditor((s) => s.nodeAnalysis[id]?.receptiveField ?? null);
  const place = placeClassMap(rf, h, w, inH, inW);
  const [opacity, setOpacity] = useState(60);
  const [hover, setHover] = useState<[number, number] | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const counts = useMemo(() => classCounts(classMap, classes), [classMap, classes]);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const rgba = new Uint8ClampedArray(h * w * 4);
    const colours = Array.from({ length: classes }, (_, k) => classColour(k));
    for (let p = 0; p < h * w; p++) {
      const [r, g, b] = colours[classMap[p]];
      rgba[p * 4] = r;
      rgba[p * 4 + 1] = g;
      rgba[p * 4 + 2] = b;
      rgba[p * 4 + 3] = 255;
    }
    ctx.putImageData(new ImageData(rgba, w, h), 0, 0);
  }, [classMap, classes, h, w]);

  const present = counts.flatMap((n, k) => (n ? [k] : []));
  const hoverClass = hover ? classMap[hover[0] * w + hover[1]] : null;
  return (
    <div className="class-map" data-testid="class-map">
      <div className="class-map-view" style={{ maxWidth: (SIZE * inW) / Math.max(inH, inW), aspectRatio: `${inW} / ${inH}` }}>
        {src && <img src={src} alt="input image" />}
        {/* placed in percent of the input, so the view can shrink to the column it is in */}
        <canvas ref={canvas} width={w} height={h} data-testid="class-map-canvas" aria-label={`Class map of ${id}`}
          style={{ top: pct(place.start[0], inH), left: pct(place.start[1], inW), height: pct(place.extent[0], inH), width: pct(place.extent[1], inW), opacity: opacity / 100 }}
          onMouseMove={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            setHover([Math.min(h - 1, Math.floor(((e.clientY - r.top) / r.height) * h)), Math.min(w - 1, Math.floor(((e.clientX - r.left) / r.width) * w))]);
          }}
          onMouseLeave={() => setHover(null)} />
      </div>
      <label className="class-map-opacity">Opacity
        <input type="range" min={0} max={100} step={5} value={opacity} aria-label="Class map opacity" data-testid="class-map-opacity"
          onChange={(e) => setOpacity(Number(e.target.value))} />
        <output data-testid="class-map-opacity-value">{opacity}%</output>
      </label>
      <p className="class-map-hover" data-testid="class-map-hover" aria-live="polite">
        {hover ? <>unit (row {hover[0]}, column {hover[1]}): <strong>class {hoverClass}</strong></> : 'Point at the map to read a unit’s class.'}
      </p>
      <p className="class-map-caption muted" data-testid="class-map-caption">
        Each unit shows the class with the largest of its {classes} scores. {placementText(place, h, w, inH, inW, rf?.stride ?? null)}
        {seeded ? ' Random weights: the classes mean nothing yet.' : ''}
      </p>
      <ul className="class-map-legend" data-testid="class-map-legend" aria-label={`Classes of ${formatShape(shape)}`}>
        {present.map((k) => (
          <li key={k} data-testid="class-map-legend-item">
            <span className="class-swatch" style={{ background: `rgb(${classColour(k).join(', ')})` }} />
            class {k}<span className="class-share">{((100 * counts[k]) / (h * w)).toFixed(1)}%</span>
          </li>
        ))}
      </ul>
      {present.length < classes && <p className="muted class-map-absent">{classes - present.length} of {classes} classes have no pixels.</p>}
    </div>
  );
}
