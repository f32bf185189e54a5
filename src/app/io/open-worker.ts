/**
 * The open worker: reads, parses, checks and analyses a design file off the page's thread, telling its
 * progress, so that a huge or hostile file never freezes or crashes the editor (open-client.ts starts it and
 * cancels it by terminating it).
 */

import { checkAnalysable } from './design-guard.ts';
import { loadFile } from './design-io.ts';
import type { OpenRequest, OpenResponse } from './open-protocol.ts';

const post = (m: OpenResponse) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<OpenRequest>) => {
  try {
    let last = -1;
    const r = await loadFile(e.data.file, (f) => {
      const pct = Math.floor(f * 100);
      if (pct !== last) post({ type: 'progress', stage: 'reading', fraction: f });
      last = pct;
    });
    if (!r.ok) return post({ type: 'done', result: r });
    post({ type: 'progress', stage: 'analysing' });
    const bad = checkAnalysable(r.design, r.issues);
    post({ type: 'done', result: bad ? { ok: false, error: `${e.data.file.name}: ${bad.error}` } : r });
  } catch (err) {
    post({ type: 'done', result: { ok: false, error: `${e.data.file.name}: ${(err as Error).message}` } });
  }
};
