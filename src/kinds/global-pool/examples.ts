import { isImage, noParams, type KindExamples } from '../example.ts';

/** Global pools take an H×W×C map and have no params. */
export const globalAvgPoolExamples: KindExamples<'globalAvgPool'> = noParams(isImage);
export const globalMaxPoolExamples: KindExamples<'globalMaxPool'> = noParams(isImage);
