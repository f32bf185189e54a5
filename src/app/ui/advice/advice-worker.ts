/**
 * The advice worker: analyses a design and finds its advice off the main thread (each candidate rewrite
 * costs one whole analysis, seconds on a 10,000-layer design). Replies with the items without their rewritten
 * designs (the editor rebuilds the one it previews or applies with `adviceAt`).
 */

/// <reference lib="webworker" />
import { adviseDetailed, analyze, type Design } from '../../../engine/index.ts';
import type { AdviceReply } from './advice-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<{ seq: number; design: Design }>) => {
  const { seq, design } = e.data;
  try {
    const items = adviseDetailed(design, analyze(design)).map((a) => ({ ...a, rewrite: null }));
    self.postMessage({ seq, items } satisfies AdviceReply);
  } catch (err) {
    self.postMessage({ seq, error: (err as Error).message ?? String(err) } satisfies AdviceReply);
  }
};
