import { noParams, type KindExamples } from '../example.ts';

/** Flatten takes any input (a flat vector passes through) and has no params. */
export const flattenExamples: KindExamples<'flatten'> = noParams(() => true);
