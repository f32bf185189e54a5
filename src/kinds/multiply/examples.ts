import { noParams, type KindExamples } from '../example.ts';

/** Multiply takes inputs of one shape, any rank (the gate's broadcast is tested in src/drivers/import/gate-kinds.test.ts), and has no params. */
export const multiplyExamples: KindExamples<'multiply'> = noParams(() => true);
