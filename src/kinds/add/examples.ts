import { noParams, type KindExamples } from '../example.ts';

/** Add takes inputs of one shape, any rank, and has no params. */
export const addExamples: KindExamples<'add'> = noParams(() => true);
