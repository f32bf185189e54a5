/**
 * The tfjs `model.json` layout Convas writes (`convas export --to tfjs`, the editor's Export menu) and reads
 * back (the Run panel's "Load weights…"): a layers model, its topology, and one weights-manifest group whose
 * weights lie in one binary file. Pure TypeScript with no tfjs or Node imports, so the editor's main bundle, the
 * worker and the command line all use it.
 */

/** One weight in a manifest (structurally tfjs's `io.WeightsManifestEntry`). */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  group?: 'model' | 'optimizer';
  quantization?: { scale?: number; min?: number; dtype: 'uint16' | 'uint8' | 'float16' };
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightsManifestEntry[];
}

/** What `model.save` hands a save handler, as far as model.json needs it (tfjs's `io.ModelArtifacts`). */
export interface ModelArtifactsLike {
  modelTopology?: unknown;
  weightSpecs?: WeightsManifestEntry[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  generatedBy?: string;
}

export interface ModelJson {
  format: 'layers-model';
  generatedBy?: string;
  convertedBy: 'convas';
  modelTopology: unknown;
  weightsManifest: WeightsManifestGroup[];
}

/**
 * The model.json object for saved artifacts whose weights go into one file, `weightsPath` (relative to
 * model.json, as `tf.loadLayersModel` resolves it).
 * @example JSON.stringify(buildModelJson(artifacts, 'weights.bin'))
 */
export function buildModelJson(artifacts: ModelArtifactsLike, weightsPath: string): ModelJson {
  return {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: 'convas',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
  };
}

/** The weight data of saved artifacts as one buffer (tfjs may hand over several). */
export function joinWeightData(raw: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  const parts = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (parts.length === 1) return parts[0];
  const bytes = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    bytes.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return bytes.buffer;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes one weight takes in the binary file (quantized weights at their stored width); NaN for a dtype tfjs stores otherwise. */
export function weightByteLength(w: WeightsManifestEntry): number {
  const per = DTYPE_BYTES[w.quantization?.dtype ?? w.dtype];
  return w.shape.reduce((a, b) => a * b, 1) * (per ?? NaN);
}

/** Why a set of weight files cannot be read; the message is for the person who picked them. */
export class WeightsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsFileError';
  }
}

/** Weights read from a model.json and its binary files, ready for the run worker. */
export interface LoadedWeights {
  /** the model.json's file name */
  modelFile: string;
  /** the binary files, in manifest order */
  weightFiles: string[];
  specs: WeightsManifestEntry[];
  data: ArrayBuffer;
}

export interface PickedFile {
  name: string;
  bytes: ArrayBuffer;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a tfjs layers model from the files a person picked: one `.json` with a `weightsManifest` and the
 * binary files it names (matched by file name; folders in the manifest's paths are ignored). The data is
 * concatenated in manifest order, as tfjs does.
 * @example readWeightFiles([{ name: 'model.json', bytes }, { name: 'weights.bin', bytes }])
 */
export function readWeightFiles(files: PickedFile[]): LoadedWeights {
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  if (jsons.length === 0) {
    throw new WeightsFileError(`pick the model.json together with its weight files (got ${files.map((f) => f.name).join(', ') || 'no files'})`);
  }
  if (jsons.length > 1) throw new WeightsFileError(`pick one model.json at a time (got ${jsons.map((f) => f.name).join(', ')})`);
  const modelFile = jsons[0];
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(modelFile.bytes));
  } catch (e) {
    throw new WeightsFileError(`${modelFile.name} is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw new WeightsFileError(`${modelFile.name} is not a tfjs model.json`);
  if (json.format === 'convas.design') {
    throw new WeightsFileError(`${modelFile.name} is a Convas design, which holds no weights; pick a tfjs model.json and its .bin files`);
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) {
    throw new WeightsFileError(`${modelFile.name} has no weightsManifest: it is not a tfjs model.json with weights`);
  }
  const specs: WeightsManifestEntry[] = [];
  const paths: string[] = [];
  for (const [i, group] of manifest.entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new WeightsFileError(`${modelFile.name}: weightsManifest group ${i + 1} lacks "paths" or "weights"`);
    }
    for (const w of group.weights as unknown[]) {
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
        throw new WeightsFileError(`${modelFile.name}: a weight in group ${i + 1} has no valid name or shape`);
      }
      specs.push(w as unknown as WeightsManifestEntry);
    }
    for (const p of group.paths as unknown[]) paths.push(String(p));
  }
  const binaries = new Map(files.filter((f) => f !== modelFile).map((f) => [f.name, f]));
  const missing = paths.filter((p) => !binaries.has(baseName(p)));
  if (missing.length) {
    throw new WeightsFileError(
      `${modelFile.name} keeps its weights in ${paths.map(baseName).join(', ')}; pick ${missing.length === 1 ? 'that file' : 'those files'} too (missing: ${missing.map(baseName).join(', ')})`,
    );
  }
  const shards = paths.map((p) => binaries.get(baseName(p))!);
  const data = joinWeightData(shards.map((s) => s.bytes));
  const bad = specs.find((w) => Number.isNaN(weightByteLength(w)));
  if (bad) throw new WeightsFileError(`${modelFile.name}: weight '${bad.name}' has dtype ${bad.quantization?.dtype ?? bad.dtype}, which the Run panel cannot load`);
  const need = specs.reduce((n, w) => n + weightByteLength(w), 0);
  if (need !== data.byteLength) {
    throw new WeightsFileError(
      `${shards.map((s) => s.name).join(' + ')} hold${shards.length === 1 ? 's' : ''} ${data.byteLength.toLocaleString('en-US')} bytes, but ${modelFile.name}'s manifest describes ${need.toLocaleString('en-US')}: the files do not belong together`,
    );
  }
  return { modelFile: modelFile.name, weightFiles: shards.map((s) => s.name), specs, data };
}

/** A weight as the model holds it: its name (`layer/weight`) and shape. */
export interface WeightSlot {
  name: string;
  shape: readonly number[];
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function split(name: string): { layer: string; weight: string } {
  const at = name.lastIndexOf('/');
  return at < 0 ? { layer: name, weight: name } : { layer: name.slice(0, at), weight: name.slice(at + 1) };
}

/**
 * Why the weights of a file do not fit a compiled model, or null when every weight of the model has one of the
 * same name and shape in the file and the file has no others. Names the layers and the shapes; at most `limit`
 * problems, then a count.
 * @example weightsMismatch([{ name: 'c1/kernel', shape: [3, 3, 3, 8] }], specs, 'model.json')
 */
export function weightsMismatch(model: readonly WeightSlot[], file: readonly WeightSlot[], fileName: string, limit = 4): string | null {
  const provided = new Map(file.map((w) => [w.name, w]));
  const wanted = new Set(model.map((w) => w.name));
  const problems: string[] = [];
  const missing = new Map<string, WeightSlot[]>();
  let matched = 0;
  for (const w of model) {
    const p = provided.get(w.name);
    if (!p) {
      const { layer } = split(w.name);
      missing.set(layer, [...(missing.get(layer) ?? []), w]);
      continue;
    }
    matched++;
    if (p.shape.length !== w.shape.length || p.shape.some((d, i) => d !== w.shape[i])) {
      const { layer, weight } = split(w.name);
      problems.push(`layer '${layer}': ${weight} is ${fmt(p.shape)} in ${fileName} but ${fmt(w.shape)} in this design`);
    }
  }
  for (const [layer, ws] of missing) {
    problems.push(`layer '${layer}': ${fileName} has no ${ws.map((w) => `${split(w.name).weight} ${fmt(w.shape)}`).join(', ')}`);
  }
  const extra = new Map<string, WeightSlot[]>();
  for (const w of file) {
    if (wanted.has(w.name)) continue;
    const { layer } = split(w.name);
    extra.set(layer, [...(extra.get(layer) ?? []), w]);
  }
  for (const [layer, ws] of extra) {
    problems.push(`${fileName} has weights for a layer '${layer}' (${ws.map((w) => `${split(w.name).weight} ${fmt(w.shape)}`).join(', ')}) that this design lacks`);
  }
  if (problems.length === 0) return null;
  const head = matched === 0 && model.length > 0
    ? `The weights in ${fileName} are for another model: none of its ${file.length} weights has the name of one of this design's ${model.length}`
    : `The weights in ${fileName} do not fit this design`;
  const shown = problems.slice(0, limit).join('; ');
  const more = problems.length > limit ? `; and ${problems.length - limit} more` : '';
  return `${head}: ${shown}${more}.`;
}

/** The script Convas writes beside a tfjs export that stock tfjs cannot load alone (src/drivers/compile/convas-tfjs-layers.js). */
export const CONVAS_LAYERS_SCRIPT = 'convas-tfjs-layers.js';

const STOCK_IGNORES: Record<string, (config: Record<string, unknown>) => boolean> = {
  // tfjs 4.22 reads these settings and computes without them (the script's comment says how)
  DepthwiseConv2D: (c) => Array.isArray(c.dilation_rate) && c.dilation_rate.some((d) => d !== 1),
  UpSampling2D: (c) => c.interpolation === 'bilinear',
  GlobalAveragePooling2D: (c) => c.keepdims === true,
  GlobalMaxPooling2D: (c) => c.keepdims === true,
};

/**
 * The layers of a tfjs `modelTopology` that stock tfjs 4.22 cannot load, or loads and computes otherwise, without
 * `CONVAS_LAYERS_SCRIPT`: Convas's own classes (`Convas…`), Convas's activations (`convas_hard_sigmoid`,
 * `convas_hard_swish`), and the settings tfjs reads but ignores (a depthwise convolution's dilation, bilinear
 * upsampling's half-pixel centres, a global pool's keepdims). Empty where tfjs alone computes the model.
 * @example convasLayersNeeded(JSON.parse(modelJson).modelTopology) // → ['lrn (ConvasLRN)']
 */
export function convasLayersNeeded(modelTopology: unknown): string[] {
  const layers = isObject(modelTopology) && isObject(modelTopology.config) && Array.isArray(modelTopology.config.layers) ? modelTopology.config.layers : [];
  const needed: string[] = [];
  for (const layer of layers as unknown[]) {
    if (!isObject(layer) || typeof layer.class_name !== 'string' || !isObject(layer.config)) continue;
    const c = layer.config;
    const own = layer.class_name.startsWith('Convas') || (typeof c.activation === 'string' && c.activation.startsWith('convas'));
    if (own || STOCK_IGNORES[layer.class_name]?.(c)) needed.push(`${String(c.name)} (${layer.class_name})`);
  }
  return needed;
}
