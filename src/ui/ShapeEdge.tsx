import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { formatShape } from '../core/index.ts';
import { useEditor } from '../store/editor-context.tsx';

/**
 * An edge labelled with the tensor that flows along it. A skip edge into an `add` (it jumps more than one
 * level) is dashed and bends out to the side so it does not run through the nodes it skips.
 */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  // the design's ends (the drawn ends differ when a collapsed group stands in for them)
  const source = (data as { from?: string } | undefined)?.from ?? props.source;
  const target = (data as { to?: string } | undefined)?.to ?? props.target;
  const skip = useEditor((s) => {
    const t = s.nodesById[target];
    if (!t || t.kind !== 'add') return false;
    return (s.depth[target] ?? 0) - (s.depth[source] ?? 0) > 1;
  });
  let path: string;
  let lx: number;
  let ly: number;
  if (skip) {
    const side = Math.max(sourceX, targetX) + 130;
    const c1y = sourceY + Math.min(90, (targetY - sourceY) / 3);
    const c2y = targetY - Math.min(90, (targetY - sourceY) / 3);
    path = `M ${sourceX},${sourceY} C ${side},${c1y} ${side},${c2y} ${targetX},${targetY}`;
    lx = (sourceX + 3 * side + 3 * side + targetX) / 8;
    ly = (sourceY + 3 * c1y + 3 * c2y + targetY) / 8;
  } else {
    [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  }
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`shape-edge${skip ? ' skip' : ''}${selected ? ' selected' : ''}`}
      />
      <EdgeLabelRenderer>
        <EdgeLabel id={id} source={source} x={lx} y={ly} />
      </EdgeLabelRenderer>
    </>
  );
});

/**
 * The shape on an edge, apart from the edge's path: a new input size changes every label, and only the labels
 * re-render (they select the formatted text, so an unchanged shape re-renders nothing).
 */
const EdgeLabel = memo(function EdgeLabel({ id, source, x, y }: { id: string; source: string; x: number; y: number }) {
  const text = useEditor((s) => {
    const shape = s.nodeAnalysis[source]?.outputShape;
    return shape ? formatShape(shape) : null;
  });
  return (
    <div
      className={`edge-label nodrag nopan${text ? '' : ' unknown'}`}
      data-testid={`edge-label-${id}`}
      style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
    >
      {text ?? formatShape(null)}
    </div>
  );
});
