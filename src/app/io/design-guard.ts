/**
 * Limits on what the editor reads from outside (a file, a link, the autosave), checked before the design is
 * built, so that hostile or huge input gets a clear refusal instead of a frozen or blank page. Pure: no DOM, so
 * the open worker and the page use the same checks.
 */

import { parseDesignText, analyze, type AnalysisError, type Design } from '../../engine/index.ts';

/** Largest design text the editor reads (characters; a 5,000-layer chain is about 0.5 MB, VGG-16 20 kB). */
export const MAX_DESIGN_CHARS = 32 * 1024 * 1024;
/** Largest file the editor reads (bytes): checked before reading a byte of it. */
export const MAX_FILE_BYTES = MAX_DESIGN_CHARS;
/** Deepest nesting of JSON arrays and objects in a design (a real design nests about 6 levels). */
export const MAX_JSON_DEPTH = 64;
/**
 * Most layers the editor opens. The canvas draws every layer: measured in Chromium (1440×900, 2 shared cores),
 * a 1,000-layer chain keeps the page's thread busy 3.5 s on open, 2,500 layers 7 s, 5,000 layers 13 s; a
 * 200,000-layer file froze the tab for over ten minutes. Larger designs are for the command line (`convas summary`).
 */
export const MAX_EDITOR_LAYERS = 5_000;
/** Largest expanded `#design=` link (characters). */
export const MAX_LINK_CHARS = 8 * 1024 * 1024;

export type Guarded = { ok: true; design: Design; issues: AnalysisError[] } | { ok: false; error: string };

/**
 * The deepest nesting of `[`/`{` in a JSON text, outside strings, counted in one pass without recursion;
 * stops counting (and returns) as soon as it passes `stopAt`.
 * @example jsonDepth('{"a":[[1]]}') // → 3
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return max;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Reads a design from text within the editor's limits: size, nesting depth, then the format checks of
 * `parseDesignText`, then the layer count. Returns a one-line reason for anything it refuses; never throws.
 */
export function readDesignTextGuarded(text: string): Guarded {
  const refused = checkTextLimits(text);
  if (refused) return refused;
  const r = parseDesignText(text);
  if (!r.ok) return r;
  return checkLayerCount(r.design) ?? r;
}

/** A refusal when a text is longer or nests deeper than any design the editor reads, else null. */
export function checkTextLimits(text: string): { ok: false; error: string } | null {
  if (text.length > MAX_DESIGN_CHARS) {
    return { ok: false, error: `it is ${(text.length / 1048576).toFixed(1)} MB of text; the editor reads designs up to ${MAX_DESIGN_CHARS / 1048576} MB` };
  }
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return { ok: false, error: `it nests values more than ${MAX_JSON_DEPTH} levels deep; no design does, so it was not read` };
  }
  return null;
}

/** A refusal when a design has more layers than the editor opens, else null. */
export function checkLayerCount(design: Design): { ok: false; error: string } | null {
  if (design.nodes.length <= MAX_EDITOR_LAYERS) return null;
  return {
    ok: false,
    error: `it has ${plural(design.nodes.length, 'layer')}; the editor opens designs up to ${MAX_EDITOR_LAYERS.toLocaleString('en-US')} layers (use \`convas summary\` for larger ones)`,
  };
}

/**
 * Runs the analysis once to make sure this design can be edited (the editor analyses it on every edit), turning
 * anything the analysis throws into a refusal instead of a page error.
 */
export function checkAnalysable(design: Design, issues: AnalysisError[]): { ok: false; error: string } | null {
  try {
    analyze(design, { issues });
    return null;
  } catch (e) {
    return { ok: false, error: `the editor could not analyse it (${(e as Error).message})` };
  }
}
