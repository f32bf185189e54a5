import { memo } from 'react';
import type { NodeProps, Node } from '@xyflow/react';
import { formatInt, getLayerKind, validateParams } from '../../engine/index.ts';

export type GhostData = { kind: string; params: Record<string, unknown>; name: string; numbers: string };

/** A layer of an advised rewrite, drawn faintly beside the layer it would replace (the Advice tab's Preview). */
export const GhostNode = memo(function GhostNode({ id, data }: NodeProps<Node<GhostData>>) {
  const kind = getLayerKind(data.kind);
  let summary = kind?.title ?? data.kind;
  const p = kind && validateParams(kind.params, data.params).params;
  if (kind && p) {
    try {
      summary = kind.summary(p);
    } catch {
      // the title will do
    }
  }
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
