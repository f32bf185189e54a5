/** Number and shape formatting shared by the command line and the editor. */

import { FLOAT32_BYTES } from './float32.ts';
import type { Shape } from './types.ts';

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
export function formatRfSize(a: { receptiveField: { size: readonly [number, number]; global?: true } | null; outputShape: Shape | null } | undefined): string {
  if (a?.receptiveField) return formatPair(a.receptiveField.size) + (a.receptiveField.global ? ' + global' : '');
  return a?.outputShape ? '—' : '?';
}
