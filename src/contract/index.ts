/**
 * Floor 1, the contract: the design model (nodes, edges, groups and their checks), the params schema, the spatial
 * arithmetic of windows, tensor shapes and number formatting, and the interface every layer kind implements. It
 * names no kind: the kinds (floor 3) implement it and the engine (floor 4) reads them through it. Pure TypeScript,
 * no package: no React, no tfjs, no DOM, no Node. See docs/architecture.md for the floors.
 */
export * from './types.ts';
export * from './format.ts';
export * from './shape.ts';
export * from './params.ts';
export * from './spatial.ts';
export * from './sliding-window.ts';
export * from './layer-kind.ts';
export * from './design.ts';
export * from './depth.ts';
