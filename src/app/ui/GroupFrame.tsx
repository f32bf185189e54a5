import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatCompact, formatInt, formatShape } from '../../engine/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { setCollapsed } from '../../engine/groups.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../../engine/layout/node-size.ts';
import { FRAME_PREFIX } from '../../engine/layout/group-frames.ts';
import { fitName, NODE_NAME_FONT } from './names.ts';

/** Room for the held layer's name in a stand-in's second line: the node less its borders and padding (25) and "holds " (~34). */
const HOLDS_PX = NODE_WIDTH - 25 - 34;

/**
 * A group's frame (expanded) or its stand-in node (collapsed); the button toggles, as one undo step. A stand-in whose
 * group holds the selected layer is ringed and names it, so that Find and the table land somewhere on the canvas.
 */
export const GroupFrame = memo(function GroupFrame({ id, data }: NodeProps) {
  const groupId = id.slice(FRAME_PREFIX.length);
  const collapsed = (data as { collapsed?: boolean }).collapsed === true;
  const label = useEditor((s) => s.design.groups?.find((g) => g.id === groupId)?.label ?? groupId);
  const kind = useEditor((s) => s.design.groups?.find((g) => g.id === groupId)?.kind);
  const stats = useEditor((s) => s.analysis.groups.find((g) => g.id === groupId));
  // the shape the group hands on: the output of its last member in design order
  const out = useEditor((s) => {
    let last: string | undefined;
    for (const n of s.design.nodes) if (n.group === groupId) last = n.id;
    return last ? s.nodeAnalysis[last]?.outputShape ?? null : null;
  });
  // the selected layer when it is inside this group (Find, the table or an error went to it): the stand-in says so
  const heldId = useEditor((s) => s.selection.find((x) => s.nodesById[x]?.group === groupId) ?? null);
  const held = useEditor((s) => (heldId === null ? null : s.nodesById[heldId]?.name ?? heldId));
  const store = useEditorStore();
  const toggle = () => {
    store.getState().edit((d) => setCollapsed(d, groupId, !collapsed, { width: NODE_WIDTH, height: NODE_HEIGHT }));
    // opening the group that holds the selected layer goes to that layer, the one the person was looking for
    if (collapsed && heldId !== null) store.getState().reveal(heldId);
  };
  const button = (
    <button className="frame-toggle nodrag" data-testid={`toggle-${groupId}`} onClick={toggle} title={collapsed ? 'Expand' : 'Collapse'}>
      {collapsed ? '▸' : '▾'}
    </button>
  );
  if (collapsed) {
    return (
      <div className={`layer-node group-node kind-${kind}${held !== null ? ' holds-selection' : ''}`} data-testid={`group-${groupId}`}>
        <Handle type="target" position={Position.Top} className="handle" isConnectable={false} />
        <div className="layer-head">
          {button}
          <span className="layer-name">{label}</span>
        </div>
        {held !== null
          ? <div className="layer-summary group-holds" data-testid={`group-holds-${groupId}`} title={`${held} is inside this group: ▸ opens it`}>holds {fitName(held, HOLDS_PX, NODE_NAME_FONT)}</div>
          : <div className="layer-summary">{stats?.nodeCount ?? 0} layers · {kind}</div>}
        <div className="layer-stats">
          <span>{stats ? (stats.params >= 1e6 ? formatCompact(stats.params) : formatInt(stats.params)) : '?'} params</span>
          <span>{formatShape(out)}</span>
        </div>
        <Handle type="source" position={Position.Bottom} className="handle" isConnectable={false} />
      </div>
    );
  }
  // the open frame's head (label, toggle, totals) is drawn by FrameHeads, above the edges' labels
  return <div className={`group-frame kind-${kind}`} data-testid={`frame-${groupId}`} />;
});

/**
 * An open group's head: its toggle, label and totals, drawn in the band at the top of its frame by FrameHeads
 * (above the edges and their labels, so no shape label hides it).
 */
export function FrameHead({ groupId }: { groupId: string }) {
  const label = useEditor((s) => s.design.groups?.find((g) => g.id === groupId)?.label ?? groupId);
  const stats = useEditor((s) => s.analysis.groups.find((g) => g.id === groupId));
  const store = useEditorStore();
  const toggle = () => store.getState().edit((d) => setCollapsed(d, groupId, true, { width: NODE_WIDTH, height: NODE_HEIGHT }));
  return (
    <div className="frame-head" data-testid={`frame-head-${groupId}`} title={`${label}${stats ? ` · ${formatInt(stats.params)} params · ${formatCompact(stats.macs)} MACs` : ''}`}>
      <button className="frame-toggle nodrag" data-testid={`toggle-${groupId}`} onClick={toggle} title="Collapse">▾</button>
      <span className="frame-label">{label}</span>
      <span className="frame-stats" data-testid={`frame-stats-${groupId}`}>{stats ? `${formatInt(stats.params)} params` : ''}</span>
    </div>
  );
}
