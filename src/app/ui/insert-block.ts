import type { Position } from '../../engine/index.ts';
import type { EditorStore } from '../store/editor-store.ts';
import { blockFeeds, getBlock, repeatBlock, type BlockSettings } from '../../engine/blocks.ts';
import { boundsOf, clearSpot, DROP_CLEARANCE, placeBelowSelection } from '../../engine/layout/placement.ts';

/**
 * Inserts a palette block (×times) as one undo step. Dropped at a point (`at`, its top-left corner), it goes
 * there or to the first clear spot after it; clicked, it goes below the selected layer, which feeds it and
 * whose channels it is built for; a decoder block with two layers selected takes the other as its skip
 * (`blockFeeds`: the smaller map is the input). Never on top of another layer (placement rule); the view follows it.
 * `settings` are the block's palette settings; missing or disallowed ones take their defaults.
 */
export function insertBlock(
  store: EditorStore, key: string, times: number, where: { at: Position } | 'below-selection', settings: Partial<BlockSettings> = {},
): string[] {
  const spec = getBlock(key);
  if (!spec) return [];
  const s = store.getState();
  const feeds = where === 'below-selection' ? blockFeeds(spec, s.selection, (id) => s.nodeAnalysis[id]?.outputShape) : {};
  const anchor = feeds.input;
  const skip = feeds.skip && s.nodesById[feeds.skip] ? feeds.skip : undefined;
  const shape = anchor ? s.nodeAnalysis[anchor]?.outputShape : null;
  const cin = shape && shape.length === 3 ? shape[2] : 64;
  const outer = { input: shape, skip: skip ? s.nodeAnalysis[skip]?.outputShape : null };
  const fragment = repeatBlock(spec, cin, Math.max(1, Math.min(16, times)), settings, outer);
  const size = boundsOf(fragment.nodes);
  const at = where === 'below-selection' ? placeBelowSelection(s.design, s.selection, size).at : clearSpot(s.design, where.at, size, DROP_CLEARANCE);
  return s.insertFragment(fragment, { at }, anchor && s.nodesById[anchor] ? anchor : undefined, skip);
}
