/** What a teaching preset shows when it opens (its `lesson` in presets/index.ts): its advice, or a baseline. */

import { adviseDetailed } from '../../engine/index.ts';
import { PRESETS } from '../../../presets/index.ts';
import type { EditorStore } from './state.ts';

/**
 * Call right after the preset is loaded into the store. A baseline lesson pins the design's twin (the design
 * with the named advice applied, rewritten by the engine's own edits): the Layers table then shows every
 * layer's change against it. An advice lesson brings the Advice tab to the front.
 */
export function showPresetLesson(store: EditorStore, presetId: string): void {
  const lesson = PRESETS.find((p) => p.id === presetId)?.lesson;
  if (!lesson) return;
  const s = store.getState();
  if (lesson.show === 'baseline') {
    const item = adviseDetailed(s.design, s.analysis).find((a) => a.rule === lesson.rule && a.nodeId === lesson.nodeId);
    if (item?.rewrite) s.pinBaseline(item.rewrite, lesson.label);
  }
  store.getState().refreshAdvice();
  if (lesson.show === 'advice') store.getState().showAdvice();
}
