/** What a teaching preset shows when it opens (its `lesson` in presets/index.ts): its advice. */

import { PRESETS } from '../../../presets/index.ts';
import type { EditorStore } from './state.ts';

/**
 * Call right after the preset is loaded into the store. An advice lesson brings the Advice tab to the front;
 * the designs that compare two ways side by side need nothing more (presets/index.ts).
 */
export function showPresetLesson(store: EditorStore, presetId: string): void {
  const lesson = PRESETS.find((p) => p.id === presetId)?.lesson;
  if (!lesson) return;
  store.getState().refreshAdvice();
  if (lesson.show === 'advice') store.getState().showAdvice();
}
