/**
 * Long layer names, shortened so that rows stay apart: names of big networks share their words
 * (`features.denseblock3.denselayer12.conv1`, `inception3a.branch2.1.conv`) and differ in their numbers, so the
 * numbered parts stay (`shortName`) and the rest gives way. Callers show the full name on hover (`title`).
 */

import { textWidth } from './table-columns.ts';
import { NODE_WIDTH } from '../../engine/layout/node-size.ts';

/**
 * `text` cut to at most `max` characters with `…` in the middle. The end keeps as many whole parts (split at
 * `.`, `_`, `/`, `-`) as fit, else its last `max − 1` characters; the start fills the rest, ending at its last
 * separator when it has one, and is dropped when under 4 characters (a leading `…` then).
 * @example middleEllipsis('features.denseblock1.denselayer12.conv2', 30) // → 'features.…denselayer12.conv2'
 * @example middleEllipsis('features.denseblock1.denselayer12.conv2', 20) // → '…denselayer12.conv2'
 */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max || max < 8) return text;
  const room = max - 1;
  let tailLen = 0;
  for (let p = 1; p < text.length; p++) {
    if (/[._/-]/.test(text[p - 1]) && text.length - p <= room) {
      tailLen = text.length - p;
      break;
    }
  }
  // no whole parts fit, or only a short last one: a plain cut keeps more of the end
  if (tailLen < room / 2) tailLen = Math.ceil(room * 0.65);
  let head = text.slice(0, room - tailLen);
  const sep = Math.max(head.lastIndexOf('.'), head.lastIndexOf('_'), head.lastIndexOf('/'), head.lastIndexOf('-'));
  if (sep >= 3) head = head.slice(0, sep + 1);
  if (head.length < 4) head = '';
  return `${head}…${text.slice(text.length - tailLen)}`;
}

/**
 * A long layer name shortened to at most `max` characters so that what tells it from its neighbours stays: the
 * numbered parts (`denseblock3`, `denselayer12`, `conv1`). Big networks name layers by their path
 * (`features.denseblock3.denselayer12.conv1`), where the words repeat on every row and the numbers differ, and the
 * block's number matters as much as the layer's (a plain middle cut drops it). So, each step from the start and
 * only until the name fits: parts without a digit give way (`features.`), then numbered parts keep the end of their
 * word (`…block3.`), then their number alone (`…3.`), then whole parts go; the last part always stays, and a name
 * that still does not fit is cut in the middle (`middleEllipsis`). Callers show the full name on hover.
 * @example shortName('features.denseblock3.denselayer12.conv1', 30) // → '…denseblock3.denselayer12.conv1'
 * @example shortName('features.denseblock3.denselayer12.conv1', 22) // → '…block3.…layer12.conv1'
 */
export function shortName(text: string, max: number): string {
  if (text.length <= max || max < 8) return text;
  // each part with the separator that ends it; the last part has none
  const parts = text.split(/(?<=[._/-])/);
  const shown = [...parts];
  const render = () => shown.join('').replace(/…+/g, '…');
  const steps: ((part: string) => string)[] = [
    (p) => (/\d/.test(p) ? p : '…'),
    (p) => shorter(p, /[^\d._/-]{0,5}\d[^._/-]*[._/-]?$/),
    (p) => shorter(p, /\d[^._/-]*[._/-]?$/),
    () => '…',
  ];
  for (const step of steps) {
    for (let i = 0; i < parts.length - 1 && render().length > max; i++) shown[i] = step(shown[i]);
  }
  const r = render();
  return r.length <= max ? r : middleEllipsis(r, max);
}

/** A numbered part cut to the end `pattern` finds in it (after `…`), where that saves characters. */
function shorter(part: string, pattern: RegExp): string {
  const word = part.replace(/^…/, '');
  const end = pattern.exec(word)?.[0];
  return end !== undefined && end.length + 1 < word.length ? `…${end}` : part;
}

/** Characters each place has room for (its width over the font's average character width). */
export const NAME_ROOM = { canvas: 20, chart: 30, table: 44, inspector: 24, find: 30 } as const;

/**
 * `shortName` at the most characters whose text fits `px` CSS pixels in `font` (measured, so wide and narrow letters
 * count as they are drawn): for places of a fixed width, such as a node's title.
 * @example fitName('features.denseblock3.denselayer12.conv2', 159, NODE_NAME_FONT) // → '…3.…layer12.conv2' at 12 px semibold
 */
export function fitName(text: string, px: number, font: string): string {
  for (let max = text.length; max >= 8; max--) {
    const r = shortName(text, max);
    if (r.length <= max && textWidth(r, font) <= px) return r;
  }
  return shortName(text, 8);
}

/** A node's title: its font, and its width (the node less its borders 4 + 1, padding 2 × 10 and swatch 9 + 7), in CSS px. */
export const NODE_NAME_FONT = "600 12px Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
export const NODE_NAME_PX = NODE_WIDTH - 5 - 20 - 16;
