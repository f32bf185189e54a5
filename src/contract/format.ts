/** Number and shape formatting shared by the command line and the editor. */

import { FLOAT32_BYTES } from './float32.ts';
import type { ReceptiveField, Shape } from './types.ts';

/** `1234567` → `"1,234,567"`. Exact for every safe integer. */
export function formatInt(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `[56, 56, 256]` → `"56×56×256"`; `null` → `"?"`. */
export function formatShape(shape: Shape | null | undefined): string {
  return shape ? shape.join('×') : '?';
}

/** Short human size: 15470264320 → `"15.47 G"`, 61100840 → `"61.10 M"`. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e12) return `${(n / 1e12).toFixed(2)} T`;
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)} K`;
  return String(n);
}

/**
 * float32 weight size, in the one unit convention Convas shows bytes in: SI (kB = 10^3, MB = 10^6 bytes, as
 * torchinfo's memory lines and `formatBytes`), not Keras's `model.summary()` binary MB, so the params line and
 * the memory lines beside it agree: 138,357,544 params → `"553.43 MB"`.
 */
export function formatWeightBytes(params: number): string {
  return formatBytes(params * FLOAT32_BYTES);
}

/** `[3, 3]` → `"3×3"`, `[3, 5]` → `"3×5"`. */
export function formatPair(pair: readonly [number, number]): string {
  return `${pair[0]}×${pair[1]}`;
}

/** A pair that is square prints once: `[2, 2]` → `"2"`, `[1, 2]` → `"1×2"`. */
export function formatPairShort(pair: readonly [number, number]): string {
  return pair[0] === pair[1] ? String(pair[0]) : formatPair(pair);
}

/**
 * Characters that must never reach a terminal or an XML file raw: C0 controls (ESC, NUL, CR, LF, TAB…), DEL,
 * C1 controls (8-bit CSI and friends), line/paragraph separators, bidirectional overrides (which reorder what
 * a reader sees), lone surrogates and the non-characters U+FFFE/U+FFFF (not allowed in XML 1.0).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udfff]/gu;

/**
 * Free text (names, kinds, messages) made safe to print or to put in XML: every control character becomes
 * visible text, `\xNN` or `\uNNNN` (`"a\u001b[2J"` → `"a\x1b[2J"`). Other text, Unicode included, is unchanged.
 * @example escapeControl('\u001b]0;title\u0007') // → '\\x1b]0;title\\x07'
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text without a leading UTF-8 byte-order mark (U+FEFF, which Windows editors write first): JSON.parse refuses
 * it, though the file is fine.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A byte count in torchinfo's units (MB = 10^6 bytes, as its "Estimated Total Size (MB)" line):
 * 39747392 → `"39.75 MB"`, 512 → `"512 B"`.
 */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1e12) return `${(bytes / 1e12).toFixed(2)} TB`;
  if (abs >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (abs >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (abs >= 1e3) return `${(bytes / 1e3).toFixed(2)} kB`;
  return `${bytes} B`;
}

/** A change with its sign, with a real minus: 28608 → `"+28,608"`, −28608 → `"−28,608"`, 0 → `"0"`. */
export function formatSignedInt(n: number): string {
  return n < 0 ? '−' + formatInt(-n) : n > 0 ? '+' + formatInt(n) : '0';
}

/** A change of bytes with its sign: −1605632 → `"−1.61 MB"`. */
export function formatSignedBytes(n: number): string {
  return n < 0 ? '−' + formatBytes(-n) : n > 0 ? '+' + formatBytes(n) : '0';
}

/**
 * The receptive-field size of a node as the canvas, the table and the comparison show it: `7×7`; `7×7 + global`
 * where a global path reaches it too (docs/receptive-field.md#global-paths, `global`: each unit also depends on every pixel); `—` after
 * flatten, global pooling or dense (no spatial layout left, contract: null); `?` when the node cannot be computed.
 */
export function formatRfSize(a: { receptiveField: { size: readonly [number, number]; stride: readonly [number, number]; global?: true } | null; outputShape: Shape | null } | undefined): string {
  const rf = a?.receptiveField;
  if (!rf) return a?.outputShape ? '—' : '?';
  // behind an upsampling units lie closer than a pixel apart: the size alone would hide that, so the stride shows
  const dense = !Number.isInteger(rf.stride[0]) || !Number.isInteger(rf.stride[1]);
  return formatPair(rf.size) + (dense ? ` /${formatStridePair(rf.stride)}` : '') + (rf.global ? ' + global' : '');
}

/** Vulgar-fraction glyphs by [numerator, denominator]: the strides an upsampling by 2…10 gives. */
const FRACTION_GLYPHS: Record<string, string> = {
  '1/2': '½', '1/3': '⅓', '2/3': '⅔', '1/4': '¼', '3/4': '¾', '1/5': '⅕', '2/5': '⅖', '3/5': '⅗', '4/5': '⅘',
  '1/6': '⅙', '5/6': '⅚', '1/7': '⅐', '1/8': '⅛', '3/8': '⅜', '5/8': '⅝', '7/8': '⅞', '1/9': '⅑', '1/10': '⅒',
};

/**
 * A receptive field's stride (docs/receptive-field.md#how-it-is-reported: an average, a fraction behind an
 * upsampling, reported as the nearest double) as a person reads it: a whole number as is (`32`), a fraction with a
 * glyph as the glyph (0.5 → `½`, 2/3 → `⅔`, 1.5 → `1½`), any other as a short decimal (2/11 → `0.182`), never the
 * double's 16 digits. The fraction is found with a denominator up to 64 within 1e-9 (the double's rounding).
 * @example formatStride(0.125) // → '⅛'
 */
export function formatStride(s: number): string {
  if (Number.isInteger(s)) return String(s);
  const whole = Math.floor(s);
  const part = s - whole;
  for (let q = 2; q <= 64; q++) {
    const p = Math.round(part * q);
    if (Math.abs(part - p / q) > 1e-9) continue;
    const glyph = FRACTION_GLYPHS[`${p}/${q}`];
    if (glyph) return (whole > 0 ? String(whole) : '') + glyph;
    break;
  }
  return String(Number(s.toPrecision(3)));
}

/** A field's stride pair: once where both axes agree (`½`), else `½×1`. */
export function formatStridePair(s: readonly [number, number]): string {
  return s[0] === s[1] ? formatStride(s[0]) : `${formatStride(s[0])}×${formatStride(s[1])}`;
}

/**
 * Where a node's units see windows of different sizes by their position (behind an upsampling or a transposed
 * convolution: the field's `phases`, docs/receptive-field.md#how-it-is-reported), what a person is told: `2 or 3
 * input pixels, by position` (per axis where the axes differ: `rows 2 or 3, columns 4 input pixels, by position`).
 * Null where every unit's window has one size (the reported `size`).
 * @example rfSizesByPosition({ size: [3, 3], stride: [0.5, 0.5], padding: [1, 1], phases: { period: [2, 2], advance: [1, 1], size: [[3, 2], [3, 2]], padding: [[1, 1], [1, 1]] } }) // → '2 or 3 input pixels, by position'
 */
export function rfSizesByPosition(rf: ReceptiveField): string | null {
  if (!rf.phases) return null;
  const sets = rf.phases.size.map((sizes) => [...new Set(sizes)].sort((a, b) => a - b));
  if (sets.every((v) => v.length === 1)) return null;
  const words = (v: number[]) => (v.length === 1 ? String(v[0]) : `${v.slice(0, -1).join(', ')} or ${v[v.length - 1]}`);
  const [h, w] = sets.map(words);
  return h === w ? `${h} input pixels, by position` : `rows ${h}, columns ${w} input pixels, by position`;
}
