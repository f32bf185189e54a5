/**
 * Test input only: a crafted lz-string "encoded URI component" payload that expands far past its size, the
 * decompression bomb of issue 15. It is the letter "a" followed by `codes` codes, each naming the entry not
 * yet in the dictionary (the decoder then outputs "previous entry + its first character"), so the output is
 * "a", "aa", "aaa", …: about codes²/2 characters from about codes × 16 bits. The bit layout follows lz-string
 * 1.5's `_decompress` (codes written least significant bit first, 6 bits per URI-safe character, most
 * significant first).
 */
export function lzBomb(codes: number): { payload: string; expandedChars: number } {
  const bits: number[] = [];
  const put = (value: number, n: number) => {
    for (let i = 0; i < n; i++) bits.push(Math.floor(value / 2 ** i) % 2);
  };
  put(0, 2); // an 8-bit literal follows
  put(97, 8); // "a"
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  let expandedChars = 1;
  for (let k = 0; k < codes; k++) {
    put(dictSize, numBits);
    expandedChars += k + 2;
    dictSize++;
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
  put(2, numBits); // end of stream
  while (bits.length % 6) bits.push(0);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
  let payload = '';
  for (let i = 0; i < bits.length; i += 6) {
    let v = 0;
    for (let j = 0; j < 6; j++) v = v * 2 + bits[i + j];
    payload += alphabet[v];
  }
  return { payload: payload + 'A', expandedChars };
}
