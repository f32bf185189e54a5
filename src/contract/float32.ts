/** Bytes of one float32 value: every weight and activation Convas counts is one (a leaf module: no imports). */
export const FLOAT32_BYTES = 4;
