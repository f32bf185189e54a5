/** The pure core of Convas: design model, layer-kind registry, analysis. No React, no tfjs, no DOM. */
export * from './types.ts';
export * from './format.ts';
export * from './shape.ts';
export * from './params.ts';
export * from './spatial.ts';
export * from './layer-kind.ts';
export * from './registry.ts';
export * from './design.ts';
export * from './design-text.ts';
export * from './analyze.ts';
export * from './depth.ts';
export * from './memory.ts';
export * from './edits.ts';
export * from './advice.ts';
export * from './diff.ts';
export * from './report.ts';
