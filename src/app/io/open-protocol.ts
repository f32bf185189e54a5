/** The messages between the editor and the open worker (open-client.ts starts open-worker.ts). */

import type { Loaded } from './design-io.ts';

/** reading the file; importing an ONNX model's nodes and weights; checking and analysing the design */
export type OpenStage = 'reading' | 'importing' | 'analysing';
/** `companions`: files picked or dropped together with `file` (a model.json's .bin weight files) */
export type OpenRequest = { file: File; companions?: File[] };
export type OpenResponse =
  | { type: 'progress'; stage: OpenStage; fraction?: number }
  /** an imported model's weights are transferred, not copied (a 100 MB model would otherwise be held twice) */
  | { type: 'done'; result: Loaded };
