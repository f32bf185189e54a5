/**
 * The editor's side of the advice worker: one request at a time; a newer design terminates a worker still busy
 * with an older one (its answer would be stale anyway) and the older request resolves null.
 */

import type { AdviceDetail, Design } from '../../../engine/index.ts';
import type { AdviceReply } from './advice-protocol.ts';

export type { AdviceReply };

export class AdviceClient {
  private worker: Worker | null = null;
  private seq = 0;
  /** settles the request in flight, if any */
  private pending: ((items: AdviceDetail[] | null) => void) | null = null;

  /** Resolves with the advice for `design` (items without rewritten designs), or null when a newer request replaced it. */
  advise(design: Design): Promise<AdviceDetail[] | null> {
    if (this.pending) this.stop();
    const w = (this.worker ??= new Worker(new URL('./advice-worker.ts', import.meta.url), { type: 'module', name: 'convas-advice' }));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending = resolve;
      w.onmessage = (e: MessageEvent<AdviceReply>) => {
        if (e.data.seq !== seq) return;
        this.pending = null;
        if ('error' in e.data) reject(new Error(e.data.error));
        else resolve(e.data.items);
      };
      w.onerror = (e) => {
        this.pending = null;
        this.worker?.terminate();
        this.worker = null;
        reject(new Error(`the advice worker failed: ${e.message || 'it could not start'}`));
      };
      w.postMessage({ seq, design });
    });
  }

  /** Ends the worker; a request in flight resolves null. */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p?.(null);
  }
}
