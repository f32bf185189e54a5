/**
 * Reads the `#design=` part of a shared link with a cap on how much it may expand to.
 *
 * Links are made by lz-string's `compressToEncodedURIComponent` (see `linkFor` in design-io.ts). Its decoder
 * keeps the whole output in memory and a crafted payload of a few kilobytes can expand to gigabytes (a run of
 * one character doubles as "previous entry + its first character", so n codes give about n²/2 characters).
 * This is the same LZW-style decoder as lz-string 1.5's `_decompress` (6 bits per URI-safe character, MIT/WTFPL,
 * pieroxy.net/blog/pages/lz-string), with one change: it counts the characters it produces and stops, before
 * building the next entry, as soon as the total would pass `maxChars`. Pure: no DOM.
 */

const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map([...URI_SAFE].map((c, i) => [c, i]));

export type LinkPayload =
  | { ok: true; text: string }
  | { ok: false; reason: 'too-large'; maxChars: number }
  | { ok: false; reason: 'damaged' };

/**
 * Decompresses an lz-string "encoded URI component" payload, refusing (`too-large`) one that expands past
 * `maxChars` characters without ever holding more than that, and (`damaged`) one that is not valid.
 * @example decompressLinkPayload(LZString.compressToEncodedURIComponent('{"a":1}'), 1000) // → { ok: true, text: '{"a":1}' }
 */
export function decompressLinkPayload(input: string, maxChars: number): LinkPayload {
  input = input.replace(/ /g, '+');
  if (!input) return { ok: false, reason: 'damaged' };
  const length = input.length;
  let val = VALUE.get(input[0]) ?? 0;
  let position = 32;
  let index = 1;
  const readBits = (n: number): number => {
    let bits = 0;
    for (let power = 1, maxpower = 2 ** n; power !== maxpower; power *= 2) {
      const b = val & position;
      position >>= 1;
      if (position === 0) {
        position = 32;
        val = VALUE.get(input[index++]) ?? 0;
      }
      if (b > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let dictSize = 4;
  let numBits = 3;
  const first = readBits(2);
  if (first === 2) return { ok: true, text: '' };
  if (first !== 0 && first !== 1) return { ok: false, reason: 'damaged' };
  let w = String.fromCharCode(readBits(first === 0 ? 8 : 16));
  dictionary[3] = w;
  const result: string[] = [w];
  let total = 1;
  for (;;) {
    if (index > length) return { ok: false, reason: 'damaged' };
    let c = readBits(numBits);
    if (c === 2) return { ok: true, text: result.join('') };
    if (c === 0 || c === 1) {
      dictionary[dictSize++] = String.fromCharCode(readBits(c === 0 ? 8 : 16));
      c = dictSize - 1;
      enlargeIn--;
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    if (dictionary[c]) entry = dictionary[c];
    else if (c === dictSize) entry = w + w.charAt(0);
    else return { ok: false, reason: 'damaged' };
    total += entry.length;
    if (total > maxChars) return { ok: false, reason: 'too-large', maxChars };
    result.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
