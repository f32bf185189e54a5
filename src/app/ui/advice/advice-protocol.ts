/** The message the advice worker answers with (advice-client.ts starts advice-worker.ts): the items, or the error. */

import type { AdviceDetail } from '../../../engine/index.ts';

export type AdviceReply = { seq: number; items: AdviceDetail[] } | { seq: number; error: string };
