import type { ReceptiveField } from '../../../engine/index.ts';
import { unitWindow } from '../../../engine/receptive-field.ts';

/**
 * The box unit (row, col) itself sees, clipped to the image: [top, left, bottom, right] in input pixels
 * (inclusive). Behind an upsampling a unit's window depends on its position (docs/receptive-field.md#how-it-is-reported),
 * so the box is that unit's own window (`unitWindow`), not the largest one placed by the average stride.
 */
export function unitBox(rf: ReceptiveField, row: number, col: number, h: number, w: number): [number, number, number, number] {
  const [top, bottom] = unitWindow(rf, 0, row);
  const [left, right] = unitWindow(rf, 1, col);
  return [Math.max(0, top), Math.max(0, left), Math.min(h - 1, bottom), Math.min(w - 1, right)];
}
