/**
 * The editor's edits of the model's outputs (docs/design-format.md#outputs), pure like `edits.ts`: mark or unmark a
 * node as an output, move an output in the order. Each returns the design with its `outputs` field in normal form
 * (`withOutputs`: left out where the outputs are exactly the nodes that feed nothing, in file order).
 */

import { consumerlessNodes, outputNodes, withOutputs } from '../contract/outputs.ts';
import type { Design } from '../contract/types.ts';

/**
 * Whether a node's output mark can be taken off: a node that feeds nothing is always an output (the format has no
 * place for a result no one reads), so only a node that also feeds others can stop being one.
 */
export function canUnmarkOutput(design: Pick<Design, 'nodes' | 'edges'>, nodeId: string): boolean {
  return !consumerlessNodes(design).some((n) => n.id === nodeId);
}

/**
 * The design with node `nodeId` marked as an output (put last in the order) or unmarked; the same object when
 * nothing changes.
 * @throws Error when no node has that id, or when unmarking a node that feeds nothing (`canUnmarkOutput`)
 * @example setOutput(d, 'features', true).outputs // → ['logits', 'features']
 */
export function setOutput(design: Design, nodeId: string, on: boolean): Design {
  if (!design.nodes.some((n) => n.id === nodeId)) throw new Error(`no node '${nodeId}' in design '${design.name}'`);
  const ids = outputNodes(design).map((n) => n.id);
  const has = ids.includes(nodeId);
  if (has === on) return design;
  if (!on && !canUnmarkOutput(design, nodeId)) throw new Error(`'${nodeId}' feeds nothing, so it stays an output`);
  return withOutputs(design, on ? [...ids, nodeId] : ids.filter((id) => id !== nodeId));
}

/**
 * The design with output `nodeId` moved to place `to` (0-based, clamped to the list) in the outputs' order; the same
 * object when it is already there.
 * @throws Error when the node is not an output
 * @example moveOutput(d, 'box', 0).outputs // → ['box', 'cls']
 */
export function moveOutput(design: Design, nodeId: string, to: number): Design {
  const ids = outputNodes(design).map((n) => n.id);
  const from = ids.indexOf(nodeId);
  if (from < 0) throw new Error(`'${nodeId}' is not one of the outputs of design '${design.name}'`);
  const at = Math.max(0, Math.min(ids.length - 1, to));
  if (at === from) return design;
  ids.splice(from, 1);
  ids.splice(at, 0, nodeId);
  return withOutputs(design, ids);
}

/**
 * The outputs list after nodes `removed` leave the design `after` (the design without them): the listed ids that
 * remain, in order. Without a list, or when none remains, the design goes without one (its consumer-less nodes).
 */
export function outputsAfterRemoval<D extends Design>(before: Design, after: D, removed: ReadonlySet<string>): D {
  if (before.outputs === undefined) return after;
  const kept = before.outputs.filter((id) => !removed.has(id));
  if (kept.length === 0) {
    const { outputs: _gone, ...rest } = after;
    return rest as D;
  }
  return withOutputs(after, kept);
}
