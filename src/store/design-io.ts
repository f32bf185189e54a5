/**
 * Where designs come from and go: presets, files, same-origin URLs, the link hash and the autosave.
 * Every reader returns either a design or readDesign's one-line reason, and never throws.
 */

import LZString from 'lz-string';
import { parseDesignText, readDesign, type AnalysisError, type Design } from '../core/index.ts';
import { PRESETS } from '../../presets/index.ts';

export type Loaded = { ok: true; design: Design; issues: AnalysisError[] } | { ok: false; error: string };

export const AUTOSAVE_KEY = 'convas.autosave.v1';
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

export async function loadFile(file: File): Promise<Loaded> {
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, error: `could not read ${file.name}: ${(e as Error).message}` };
  }
  const r = parseDesignText(text);
  if (r.ok) return r;
  const model = kerasTopology(text);
  return model ? importModel(file.name, model) : { ok: false, error: `${file.name}: ${r.error}` };
}

/** The parsed JSON when it is a tfjs model.json or a Keras topology rather than a Convas design, else null. */
function kerasTopology(text: string): object | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
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
    const { importKeras } = await import('../export/keras-import.ts');
    const r = readDesign(importKeras(json));
    return r.ok ? r : { ok: false, error: `${fileName}: ${r.error}` };
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
    const r = parseDesignText(await res.text());
    return r.ok ? r : { ok: false, error: `${url.pathname}: ${r.error}` };
  } catch (e) {
    return { ok: false, error: `${url.pathname}: could not fetch (${(e as Error).message})` };
  }
}

export function designToText(design: Design): string {
  return JSON.stringify(design, null, 2) + '\n';
}

export function linkFor(design: Design): string {
  const packed = LZString.compressToEncodedURIComponent(JSON.stringify(design));
  return `${location.origin}${location.pathname}#design=${packed}`;
}

function fromHash(hash: string): Loaded | null {
  const m = /^#design=(.+)$/.exec(hash);
  if (!m) return null;
  const text = LZString.decompressFromEncodedURIComponent(m[1]);
  if (!text) return { ok: false, error: 'the design in this link is damaged (it could not be decompressed)' };
  const r = parseDesignText(text);
  return r.ok ? r : { ok: false, error: `the design in this link: ${r.error}` };
}

export function readAutosave(): Loaded | null {
  let text: string | null = null;
  try {
    text = localStorage.getItem(AUTOSAVE_KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  const r = parseDesignText(text);
  return r.ok ? r : null;
}

export function writeAutosave(design: Design): void {
  try {
    localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(design));
  } catch {
    // storage full or disabled: the design stays in the page
  }
}

/**
 * What the page opens with: `?preset=`, `?design=`, a `#design=` link, the autosave, then the default preset.
 * A failing explicit source still opens something, with its reason as `error`.
 */
export async function initialDesign(): Promise<{ loaded: Extract<Loaded, { ok: true }>; error?: string; explicit?: boolean; presetId?: string }> {
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
  if (fromPreset) return { loaded: fromPreset, explicit: true, presetId: preset! };
  const explicit =
    tryLoaded(url ? await loadUrl(url) : null) ??
    tryLoaded(fromHash(location.hash));
  if (explicit) return { loaded: explicit, explicit: true };
  const saved = readAutosave();
  if (saved?.ok) return { loaded: saved, error };
  const fallback = await loadPreset(DEFAULT_PRESET);
  if (fallback.ok) return { loaded: fallback, error };
  return { loaded: { ok: true, design: { format: 'convas.design', version: 1, name: 'Untitled', nodes: [], edges: [] }, issues: [] }, error };
}

export function fileStem(name: string): string {
  const stem = name.trim().replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return stem || 'design';
}
