/**
 * The editor's exports: the same writers as `convas export` (src/drivers/export), loaded only when used, each
 * turned into files the browser downloads. The tfjs model is compiled in a worker, like a run.
 */

import { formatError, type Analysis, type Design } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import { pythonModuleName } from '../../engine/names.ts';
import { designToText, fileStem } from '../io/design-io.ts';
import { CONVAS_LAYERS_SCRIPT, convasLayersNeeded } from '../../drivers/compile/model-json.ts';
// the client is small and already in the editor's bundle (the Run tab uses it); tfjs stays in the worker
import { DEFAULT_SEED, RunClient } from './run/run-client.ts';

export type ExportFormat = 'design' | 'pytorch' | 'pytorch-weights' | 'onnx' | 'tfjs' | 'svg' | 'png';

export interface ExportItem {
  id: ExportFormat;
  title: string;
  detail: string;
  /** whether a design with errors can be exported in this format (pictures draw the errors in red) */
  allowsErrors: boolean;
}

/** The seed of the weights in ONNX and tfjs exports: the Run tab's default, so the numbers match a run. */
const EXPORT_SEED = DEFAULT_SEED;

/**
 * The weights an export holds: an imported model's that still fit (`weightsInUse`), named by their file, or none
 * (every layer seeded). Layers whose trained weights an edit dropped take the seed's.
 */
export interface ExportWeights {
  source: string;
  byNode: ReadonlyMap<string, NodeWeights>;
}

/** The Export menu's items; where an export holds weights it says which: `trainedSource`'s, or the seed's. */
export function exportItems(trainedSource: string | null = null): ExportItem[] {
  const held = trainedSource ? `weights from ${trainedSource}` : `seeded weights (seed ${EXPORT_SEED})`;
  return [
    { id: 'design', title: 'Design file (.convas.json)', detail: `what Open reads back; the same as Save${trainedSource ? ` (holds no weights: ${trainedSource}'s stay in this tab)` : ''}`, allowsErrors: true },
    { id: 'pytorch', title: 'PyTorch module (.py)', detail: 'one nn.Module, readable, exact padding and layouts', allowsErrors: false },
    { id: 'pytorch-weights', title: 'PyTorch module with weights', detail: `the .py with .weights.json + .weights.bin for load_convas_weights, ${held}`, allowsErrors: false },
    { id: 'onnx', title: 'ONNX model (.onnx)', detail: `opset 13, NCHW input, ${held}`, allowsErrors: false },
    { id: 'tfjs', title: 'TensorFlow.js model', detail: `model.json + weights.bin, ${held}${trainedSource ? '; Open loads them again' : ''}; + ${CONVAS_LAYERS_SCRIPT} where stock tfjs needs Convas's layers`, allowsErrors: false },
    { id: 'svg', title: 'Picture (SVG)', detail: 'the whole design with shapes and counts, for papers', allowsErrors: true },
    { id: 'png', title: 'Picture (PNG)', detail: 'the same picture at twice the size, for slides', allowsErrors: true },
  ];
}

/** The menu's items without trained weights. */
export const EXPORT_ITEMS: ExportItem[] = exportItems();

export interface ExportFile {
  name: string;
  blob: Blob;
}

/**
 * Makes the files of one export, with `weights` (an imported model's, by node id) where the format holds weights
 * and the seed's elsewhere. Throws an Error with a message for the person (the notice shows it).
 */
export async function exportFiles(format: ExportFormat, design: Design, analysis: Analysis, weights: ExportWeights | null = null): Promise<ExportFile[]> {
  const stem = fileStem(design.name);
  const item = EXPORT_ITEMS.find((i) => i.id === format)!;
  const trained = weights?.byNode;
  if (!item.allowsErrors && !analysis.valid) {
    const n = analysis.errors.length;
    throw new Error(`${item.title} needs a design without errors; fix the ${n === 1 ? 'error' : `${n} errors`} first (${analysis.errors[0] ? formatError(analysis.errors[0], design) : ''})`);
  }
  switch (format) {
    case 'design':
      return [{ name: `${stem}.convas.json`, blob: new Blob([designToText(design)], { type: 'application/json' }) }];
    case 'pytorch': {
      const { toPyTorch } = await import('../../drivers/export/pytorch.ts');
      // a name Python can import (`my_inception_3a.py`), not the design's file stem
      return [{ name: `${pythonModuleName(design.name)}.py`, blob: new Blob([toPyTorch(design, analysis)], { type: 'text/x-python' }) }];
    }
    case 'pytorch-weights': {
      // the files `convas export --to pytorch --weights` writes: model.py's load_convas_weights reads them
      const [{ toPyTorch }, { packTorchWeights, torchStateDict }] = await Promise.all([
        import('../../drivers/export/pytorch.ts'), import('../../drivers/export/torch-layout.ts'),
      ]);
      const module = pythonModuleName(design.name);
      const packed = packTorchWeights(torchStateDict(design, analysis, { seed: EXPORT_SEED, weights: trained }), `${module}.weights.bin`, trained ? null : EXPORT_SEED);
      return [
        { name: `${module}.py`, blob: new Blob([toPyTorch(design, analysis)], { type: 'text/x-python' }) },
        { name: `${module}.weights.json`, blob: new Blob([JSON.stringify(packed.manifest, null, 1)], { type: 'application/json' }) },
        { name: `${module}.weights.bin`, blob: new Blob([packed.data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) },
      ];
    }
    case 'onnx': {
      const [{ toOnnx }, { torchStateDict }] = await Promise.all([import('../../drivers/export/onnx.ts'), import('../../drivers/export/torch-layout.ts')]);
      const state = trained ? torchStateDict(design, analysis, { seed: EXPORT_SEED, weights: trained }) : undefined;
      const bytes = toOnnx(design, { seed: EXPORT_SEED, analysis, weights: state });
      return [{ name: `${stem}.onnx`, blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) }];
    }
    case 'tfjs': {
      const client = new RunClient();
      try {
        const weightsPath = `${stem}.weights.bin`;
        const saved = await client.save(design, EXPORT_SEED, weightsPath, trained);
        const files = [
          { name: `${stem}.model.json`, blob: new Blob([saved.modelJson], { type: 'application/json' }) },
          { name: weightsPath, blob: new Blob([saved.weights], { type: 'application/octet-stream' }) },
        ];
        if (convasLayersNeeded(JSON.parse(saved.modelJson).modelTopology).length > 0) {
          // the script that registers Convas's layer classes in stock tfjs (its text only: nothing here runs tfjs)
          const { default: script } = await import('../../drivers/compile/convas-tfjs-layers.js?raw');
          files.push({ name: CONVAS_LAYERS_SCRIPT, blob: new Blob([script], { type: 'text/javascript' }) });
        }
        return files;
      } finally {
        client.dispose();
      }
    }
    case 'svg': {
      const { toSvg } = await import('../../drivers/export/svg.ts');
      return [{ name: `${stem}.svg`, blob: new Blob([toSvg(design, analysis)], { type: 'image/svg+xml' }) }];
    }
    case 'png': {
      const { toSvg } = await import('../../drivers/export/svg.ts');
      return [{ name: `${stem}.png`, blob: await svgToPng(toSvg(design, analysis)) }];
    }
  }
}

/** Browsers refuse canvases over 16,384 px a side or about 268 M pixels; a tall design is drawn smaller. */
const MAX_SIDE = 16384;
const MAX_AREA = 268_000_000;

/** Rasterizes an SVG picture at twice its size (less when that would be too large for a canvas). */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const m = svg.match(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/);
  if (!m) throw new Error('the picture has no size');
  const w = Number(m[1]);
  const h = Number(m[2]);
  const s = Math.min(scale, MAX_SIDE / w, MAX_SIDE / h, Math.sqrt(MAX_AREA / (w * h)));
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(w * s));
    canvas.height = Math.max(1, Math.floor(h * s));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gave no 2D canvas to draw the picture on');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Hands a file to the browser's downloads. */
export function download(file: ExportFile): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file.blob);
  a.download = file.name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
