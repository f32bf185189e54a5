import type { Position } from '../core/index.ts';
import type { EditorStore } from '../store/editor-store.ts';
import { getBlock, repeatBlock } from './blocks.ts';

/** Inserts a palette block (×times) at `at`, sized for and wired from `from` when given. */
export function insertBlock(store: EditorStore, key: string, times: number, at: Position, from?: string): string[] {
  const spec = getBlock(key);
  if (!spec) return [];
  const s = store.getState();
  const shape = from ? s.nodeAnalysis[from]?.outputShape : null;
  const cin = shape && shape.length === 3 ? shape[2] : 64;
  const fragment = repeatBlock(spec, cin, Math.max(1, Math.min(16, times)));
  return s.insertFragment(fragment, { at }, from);
}
