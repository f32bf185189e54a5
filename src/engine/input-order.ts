/**
 * Reordering a merge's inputs (docs/design-format.md#input-order): the order of a concat's inputs is the order of
 * its output channels, and that of an add's or a multiply's the order every export writes its operands in, so a
 * person porting weights needs to set it without rewiring. Pure, like `edits.ts`.
 */

import { inputsInPortOrder } from '../contract/design.ts';
import type { Design } from '../contract/types.ts';

/**
 * The design with node `nodeId`'s input at place `from` (0-based, in the contract's input order) moved to place `to`
 * (clamped to the inputs); every incoming edge then names its place as `targetPort`, so the order no longer hangs on
 * the edges' order in the file. The same object when nothing moves.
 * @throws Error when no node has that id, or `from` is not one of its inputs
 * @example moveInput(d, 'concat1', 1, 0) // the concat's channels now start with its second branch's
 */
export function moveInput(design: Design, nodeId: string, from: number, to: number): Design {
  if (!design.nodes.some((n) => n.id === nodeId)) throw new Error(`no node '${nodeId}' in design '${design.name}'`);
  const order = [...(inputsInPortOrder(design).get(nodeId) ?? [])];
  if (!Number.isInteger(from) || from < 0 || from >= order.length) {
    throw new Error(`'${nodeId}' has ${order.length} input${order.length === 1 ? '' : 's'}, so there is no input ${from + 1} to move`);
  }
  const at = Math.max(0, Math.min(order.length - 1, Math.trunc(to)));
  if (at === from) return design;
  const [moved] = order.splice(from, 1);
  order.splice(at, 0, moved);
  const port = new Map(order.map((e, i) => [e, i]));
  return { ...design, edges: design.edges.map((e) => (port.has(e) ? { ...e, targetPort: port.get(e)! } : e)) };
}
