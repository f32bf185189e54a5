/**
 * Floor 4, the engine, with the contract it stands on (re-exported, so the drivers and the app import one module):
 * resolve, analysis, edits, advice, memory, diff, the kinds' registry. Pure TypeScript: no React, no tfjs, no DOM.
 */
export * from '../contract/types.ts';
export * from '../contract/format.ts';
export * from '../contract/shape.ts';
export * from '../contract/params.ts';
export * from '../contract/spatial.ts';
export * from '../contract/sliding-window.ts';
export * from '../contract/layer-kind.ts';
export * from './registry.ts';
export * from '../contract/design.ts';
export * from './model-io.ts';
export * from './design-text.ts';
export * from './analyze.ts';
export * from '../contract/depth.ts';
export * from './memory.ts';
export * from './liveness.ts';
export * from './param-bytes.ts';
export * from './profile-table.ts';
export * from './edits.ts';
export * from './output-edits.ts';
export * from './advice.ts';
export * from './diff.ts';
export * from './report.ts';
export * from './field-note.ts';
export * from './param-headline.ts';
