/**
 * src/app/io/ is the editor's browser input/output, and the only place in the editor that touches it: files
 * (File, Blob, the open worker), localStorage and sessionStorage (the drafts), the address (`location`, `URL`,
 * `?preset=`, `#design=` links) and fetch. The zustand store (src/app/store) holds state and actions only; the UI
 * reads or writes the outside through these modules and hands the store a design (src/architecture.test.ts
 * checks that the store uses none of these browser globals).
 *
 * This module: where designs come from and go: presets, files, same-origin URLs and the link hash (the autosave
 * is drafts.ts, the limits design-guard.ts, the link decoder link-payload.ts, off-thread opening open-client.ts).
 * Every reader returns either a design or readDesign's one-line reason, and never throws.
 */

import LZString from 'lz-string';
import { emptyDesign, parseDesignText, readDesign, stripBom, type AnalysisError, type Design } from '../../engine/index.ts';
import { checkLayerCount, checkTextLimits, MAX_FILE_BYTES, MAX_LINK_CHARS, readDesignTextGuarded } from './design-guard.ts';
import type { DraftInfo, Drafts } from './drafts.ts';
import type { TrainedWeights } from '../store/state.ts';
import type { LoadedWeights } from '../../drivers/compile/model-json.ts';
import { decompressLinkPayload } from './link-payload.ts';
import { PRESETS } from '../../../presets/index.ts';
import { isJpeg, isPng } from '../../drivers/compile/image-size.ts';

/**
 * A design read from somewhere, or the one-line reason it was not. An imported model brings its trained `weights`
 * (by node id); a tfjs model.json opened with its .bin files brings them as `modelWeights` (by weight name: the run
 * worker turns them into node weights); a model refused node by node brings the reader's lines in `refusals`.
 */
export type Loaded =
  | { ok: true; design: Design; issues: AnalysisError[]; weights?: TrainedWeights; modelWeights?: LoadedWeights }
  | { ok: false; error: string; refusals?: string[] };

export const DEFAULT_PRESET = 'resnet18';

const presetFiles = import.meta.glob('/presets/*.convas.json', { import: 'default' }) as Record<string, () => Promise<unknown>>;

export async function loadPreset(id: string): Promise<Loaded> {
  const entry = PRESETS.find((p) => p.id === id);
  const load = entry && presetFiles[`/presets/${entry.file}`];
  if (!load) return { ok: false, error: `no preset called "${id.slice(0, 60)}" (try one of: ${PRESETS.map((p) => p.id).join(', ')})` };
  try {
    return readDesign(await load());
  } catch (e) {
    return { ok: false, error: `could not load preset "${id}": ${(e as Error).message}` };
  }
}

/**
 * Reads a design (or a tfjs/Keras model.json, imported) from a file, within the editor's limits: a file over
 * `MAX_FILE_BYTES` is refused before a byte is read. `onProgress` hears the fraction read (0..1). In the editor
 * this runs in the open worker (open-client.ts), off the page's thread.
 */
export async function loadFile(file: File, onProgress?: (fractionRead: number) => void): Promise<Loaded> {
  if (file.size > MAX_FILE_BYTES) {
    return { ok: false, error: `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the editor opens files up to ${MAX_FILE_BYTES / 1048576} MB` };
  }
  const image = imageKind(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (image) {
    return { ok: false, error: `${file.name} is an image (${image}), not a design: to run the design on it, open the Run tab and pick it with "Your image…"` };
  }
  let text: string;
  try {
    text = await readText(file, onProgress);
  } catch (e) {
    return { ok: false, error: `could not read ${file.name}: ${(e as Error).message}` };
  }
  const limits = checkTextLimits(text);
  if (limits) return { ok: false, error: `${file.name}: ${limits.error}` };
  const r = parseDesignText(text);
  if (r.ok) {
    const many = checkLayerCount(r.design);
    return many ? { ok: false, error: `${file.name}: ${many.error}` } : r;
  }
  const model = kerasTopology(text);
  return model ? importModel(file.name, model) : { ok: false, error: `${file.name}: ${r.error}` };
}

/** The image format a file's first bytes announce (PNG, JPEG, GIF, WebP), or null: such a file is no design. */
function imageKind(b: Uint8Array): string | null {
  if (isPng(b)) return 'PNG';
  if (isJpeg(b)) return 'JPEG';
  const ascii = String.fromCharCode(...b);
  if (ascii.startsWith('GIF8')) return 'GIF';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'WebP';
  return null;
}

/** A file's text, read in chunks so that progress can be told (a plain `file.text()` where streams are missing). */
async function readText(file: File, onProgress?: (fractionRead: number) => void): Promise<string> {
  if (!onProgress || typeof file.stream !== 'function') return file.text();
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    onProgress(file.size ? read / file.size : 1);
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** The parsed JSON when it is a tfjs model.json or a Keras topology rather than a Convas design, else null. */
function kerasTopology(text: string): object | null {
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  if (o.format === 'convas.design') return null;
  return 'modelTopology' in o || 'model_config' in o || (typeof o.class_name === 'string' && 'config' in o) ? o : null;
}

/** A tfjs/Keras model → a design (no positions: the editor lays it out). The importer loads only when needed. */
async function importModel(fileName: string, json: object): Promise<Loaded> {
  try {
    const { importKeras } = await import('../../drivers/import/keras-import.ts');
    const r = readDesign(importKeras(json));
    if (!r.ok) return { ok: false, error: `${fileName}: ${r.error}` };
    const many = checkLayerCount(r.design);
    return many ? { ok: false, error: `${fileName}: ${many.error}` } : r;
  } catch (e) {
    return { ok: false, error: `${fileName}: ${(e as Error).message}` };
  }
}

/** Fetches a design from a URL on this site only (so a link cannot make the page fetch from elsewhere). */
export async function loadUrl(raw: string): Promise<Loaded> {
  let url: URL;
  try {
    url = new URL(raw, location.href);
  } catch {
    return { ok: false, error: `not a valid URL: ${raw.slice(0, 100)}` };
  }
  if (url.origin !== location.origin) return { ok: false, error: `designs load only from this site (${location.origin}), not from ${url.origin}` };
  try {
    const res = await fetch(url);
    if (!res.ok) return { ok: false, error: `${url.pathname}: the server answered ${res.status} ${res.statusText}` };
    const r = readDesignTextGuarded(await res.text());
    return r.ok ? r : { ok: false, error: `${url.pathname}: ${r.error}` };
  } catch (e) {
    return { ok: false, error: `${url.pathname}: could not fetch (${(e as Error).message})` };
  }
}

/** What Save writes: the engine's canonical design text (stable key order: saving twice gives the same bytes). */
export { designToText } from '../../engine/index.ts';

export function linkFor(design: Design): string {
  const packed = LZString.compressToEncodedURIComponent(JSON.stringify(design));
  return `${location.origin}${location.pathname}#design=${packed}`;
}

/**
 * The design in a `#design=` link: expanded with a cap (`MAX_LINK_CHARS`) and read with the editor's limits, so
 * that a crafted link (a decompression bomb, a 100k-deep value) is refused with its reason instead of blanking
 * the page.
 */
export function fromHash(hash: string): Loaded | null {
  const m = /^#design=(.+)$/.exec(hash);
  if (!m) return null;
  const p = decompressLinkPayload(m[1], MAX_LINK_CHARS);
  if (!p.ok) {
    return {
      ok: false,
      error: p.reason === 'too-large'
        ? `the design in this link expands past ${MAX_LINK_CHARS / 1048576} MB, more than any design; it was not opened`
        : 'the design in this link is damaged (it could not be decompressed)',
    };
  }
  const r = readDesignTextGuarded(p.text);
  return r.ok ? r : { ok: false, error: `the design in this link: ${r.error}` };
}

export interface Startup {
  loaded: Extract<Loaded, { ok: true }>;
  /** why a requested source, or the autosave, could not be opened */
  error?: string;
  /** the address named what opened (`?preset=`, `?design=`, `#design=`) */
  explicit?: boolean;
  /** when the address replaced the work this tab would otherwise have opened: that work's draft, kept */
  previous?: DraftInfo;
  /** the preset `?preset=` opened (its lesson is shown: presets/index.ts) */
  presetId?: string;
}

/**
 * What the page opens with: `?preset=`, `?design=`, a `#design=` link, this tab's draft (or the newest), then
 * the default preset. A failing explicit source still opens something, with its reason as `error`. What the
 * address opens goes into a fresh draft, so the work it replaced stays stored (`previous`).
 */
export async function initialDesign(drafts: Drafts): Promise<Startup> {
  const params = new URLSearchParams(location.search);
  let error: string | undefined;
  const tryLoaded = (r: Loaded | null) => {
    if (!r) return null;
    if (r.ok) return r;
    error = r.error;
    return null;
  };
  const preset = params.get('preset');
  const url = params.get('design');
  const fromPreset = tryLoaded(preset ? await loadPreset(preset) : null);
  const explicit =
    fromPreset ??
    tryLoaded(url ? await loadUrl(url) : null) ??
    tryLoaded(fromHash(location.hash));
  if (explicit) {
    const previous = drafts.list().find((d) => d.mine) ?? drafts.list()[0];
    drafts.startFresh();
    return { loaded: explicit, explicit: true, previous, ...(fromPreset ? { presetId: preset! } : {}) };
  }
  const saved = drafts.initial();
  if (saved.tab !== null) return { loaded: saved.loaded, error };
  error ??= saved.error;
  const fallback = await loadPreset(DEFAULT_PRESET);
  if (fallback.ok) return { loaded: fallback, error };
  return { loaded: { ok: true, design: emptyDesign('Untitled'), issues: [] }, error };
}

export function fileStem(name: string): string {
  const stem = name.trim().replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return stem || 'design';
}
