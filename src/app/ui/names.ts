/**
 * Long layer names, shortened in the middle: names of big networks share their start
 * (`features.denseblock1.denselayer12.conv2`, `inception3a.branch2.1.conv`) and differ at the end, so the end
 * stays and the middle gives way. Callers show the full name on hover (`title`).
 */

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

/** Characters each place has room for (its width over the font's average character width). */
export const NAME_ROOM = { canvas: 20, chart: 30, table: 44, inspector: 24 } as const;
