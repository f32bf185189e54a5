import { isImage, someOf, type KindExamples } from '../example.ts';

/** Global pools take an H×W×C map; flat `[C]` or, with keepDims, `[1, 1, C]`. */
const globalExamples = {
  fits: (x: number[]) => (isImage(x) ? [{}, { keepDims: true }] : []),
  random: (_x: number[], draw: Parameters<KindExamples<'globalAvgPool'>['random']>[1]) => someOf(draw, { keepDims: draw.bool() }),
};
export const globalAvgPoolExamples: KindExamples<'globalAvgPool'> = globalExamples;
export const globalMaxPoolExamples: KindExamples<'globalMaxPool'> = globalExamples;
