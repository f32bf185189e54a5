/** The messages between the editor and the open worker (open-client.ts starts open-worker.ts). */

import type { Loaded } from './design-io.ts';

export type OpenStage = 'reading' | 'analysing';
export type OpenRequest = { file: File };
export type OpenResponse =
  | { type: 'progress'; stage: OpenStage; fraction?: number }
  | { type: 'done'; result: Loaded };
