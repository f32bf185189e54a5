import { memo } from 'react';
import type { NodeProps, Node } from '@xyflow/react';
import { formatInt, getLayerKind } from '../../engine/index.ts';
import { nodeSummary } from '../../engine/node-summary.ts';

export type GhostData = { kind: string; params: Record<string, unknown>; name: string; numbers: string };

/** A layer of an advised rewrite, drawn faintly beside the layer it would replace (the Advice tab's Preview). */
export const GhostNode = memo(function GhostNode({ id, data }: NodeProps<Node<GhostData>>) {
  const kind = getLayerKind(data.kind);
  const summary = nodeSummary(data);
  return (
    <div className={`layer-node ghost-node cat-${kind?.category ?? 'unknown'}`} data-testid={`ghost-${id.replace(/^ghost:/, '')}`}>
      <div className="layer-head">
        <span className="swatch" />
        <span className="layer-name">{data.name}</span>
        <span className="ghost-tag">preview</span>
      </div>
      <div className="layer-summary">{summary}</div>
      <div className="layer-stats"><span className="layer-params">{data.numbers}</span></div>
    </div>
  );
});

/** "36,928 params · RF 5×5" for a ghost from the rewritten design's analysis. */
export function ghostNumbers(params: number, rf: [number, number] | null): string {
  return `${formatInt(params)} params${rf ? ` · RF ${rf[0]}×${rf[1]}` : ''}`;
}
