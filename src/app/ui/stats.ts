import type { Stat } from '../store/editor-store.ts';

export const STAT_LABEL: Record<Stat, string> = {
  none: 'No bars',
  params: 'Parameters',
  macs: 'MACs',
  activations: 'Output size',
  time: 'Time (profile)',
};
