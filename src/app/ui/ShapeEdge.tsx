import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { formatShape, getLayerKind, type Design } from '../../engine/index.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../../engine/layout/node-size.ts';
import { channelAround, channelPath } from '../../engine/layout/edge-route.ts';
import type { Box } from '../../engine/layout/placement.ts';
import { headBandBottom, labelClearOfHead } from '../../engine/layout/frame-head.ts';
import { useEditor } from '../store/editor-context.tsx';

/**
 * An edge labelled with the tensor that flows along it. An edge whose straight run would pass through another
 * layer (inception branches into their concat, skips into an add or a dense block's concat) goes down a free
 * channel beside the layers, with its label there where no layer hides it (`channelAround`). A skip edge into
 * a merge that sums (`merge: 'sum'`, e.g. `add`; it jumps more than one level) is dashed.
 */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  // the design's ends (the drawn ends differ when a collapsed group stands in for them)
  const source = (data as { from?: string } | undefined)?.from ?? props.source;
  const target = (data as { to?: string } | undefined)?.to ?? props.target;
  const skip = useEditor((s) => {
    const t = s.nodesById[target];
    if (!t || getLayerKind(t.kind)?.merge !== 'sum') return false;
    return (s.depth[target] ?? 0) - (s.depth[source] ?? 0) > 1;
  });
  // a number (or null), so the edge re-renders only when its channel moves
  const channel = useEditor((s) => channelAround(sourceX, sourceY, targetX, targetY, boxesBetween(s.design, props.source, props.target, sourceY, targetY)));
  const band = useEditor((s) => headBandBottom(s.design, props.target));
  let path: string;
  let lx: number;
  let ly: number;
  if (channel !== null) {
    ({ path, lx, ly } = channelPath(sourceX, sourceY, targetX, targetY, channel));
  } else {
    [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
    // an edge into a group's frame keeps its label below the frame's head, which is drawn above the labels
    ({ x: lx, y: ly } = labelClearOfHead(sourceX, sourceY, targetX, targetY, lx, ly, band));
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

type IdBox = Box & { id: string };

/** The layers on the canvas (members of collapsed groups are hidden), sorted by y; one array per design. */
const boxCache = new WeakMap<Design, IdBox[]>();

/**
 * The boxes of the layers whose rows overlap the band from `y0` to `y1` (a binary search in the y-sorted list,
 * so a 5,000-layer design costs an edge only the layers beside it), the edge's own ends left out.
 */
function boxesBetween(design: Design, source: string, target: string, y0: number, y1: number): IdBox[] {
  let all = boxCache.get(design);
  if (!all) {
    const collapsed = new Set((design.groups ?? []).filter((g) => g.collapsed).map((g) => g.id));
    all = [];
    for (const n of design.nodes) {
      if (!n.position || (n.group && collapsed.has(n.group))) continue;
      all.push({ id: n.id, x: n.position.x, y: n.position.y, width: NODE_WIDTH, height: NODE_HEIGHT });
    }
    all.sort((a, b) => a.y - b.y);
    boxCache.set(design, all);
  }
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].y + NODE_HEIGHT < y0) lo = mid + 1;
    else hi = mid;
  }
  const out: IdBox[] = [];
  for (let i = lo; i < all.length && all[i].y <= y1; i++) if (all[i].id !== source && all[i].id !== target) out.push(all[i]);
  return out;
}

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
