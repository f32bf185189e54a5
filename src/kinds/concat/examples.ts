import { noParams, type KindExamples } from '../example.ts';

/** Concat joins maps of one H×W, or flat vectors, along the channels, and has no params. */
export const concatExamples: KindExamples<'concat'> = noParams(() => true);
