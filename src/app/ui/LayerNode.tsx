import { rfSizeText } from './rf-text.ts';
import { memo, useMemo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { FIELD_LARGER_THAN_INPUT, fieldLargerThanInput, formatCompact, formatInt, getLayerKind } from '../../engine/index.ts';
import { nodeSummary } from '../../engine/node-summary.ts';
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../store/editor-context.tsx';
import { statValue } from '../store/editor-store.ts';
import { STAT_LABEL } from './stats.ts';
import { TimeBar } from './run/TimeBar.tsx';
import { useProfileTimes } from './run/profile-store.ts';
import { fitName, NODE_NAME_FONT, NODE_NAME_PX } from './names.ts';
import { signedInt } from '../store/compare.ts';
import { paddingNotes } from '../../engine/padding-note.ts';

/**
 * One layer on the canvas. Selects only the values it draws (strings and numbers), so an edit that changes
 * shapes but not this layer's numbers (a new input size) does not re-render it.
 */
export const LayerNode = memo(function LayerNode({ id, selected }: NodeProps) {
  const node = useEditor((s) => s.nodesById[id]);
  // one subscription for every number the node draws (a subscription per value would be nine per node)
  const { computed, paramCount, rfText, rfLarger, padded, analysisError, known, stat, statOfNode, statMax, advised, outputPlace, outputCount, change, changeText, previewed } = useEditor(useShallow((s) => {
    const a = s.nodeAnalysis[id];
    const d = s.comparison?.layers.get(id);
    return {
      advised: s.adviceMarks[id] ?? 0,
      outputPlace: s.outputPlace[id],
      outputCount: s.outputPlace[id] === undefined ? 0 : Object.keys(s.outputPlace).length,
      change: d?.change,
      changeText: d ? (d.change === 'added' ? 'new' : `${signedInt(d.params)} params`) : '',
      previewed: s.preview !== null && s.preview.rewritten.includes(id),
      computed: !!a?.outputShape,
      paramCount: a?.params ?? 0,
      rfText: rfSizeText(a),
      rfLarger: fieldLargerThanInput(a, s.analysis.nodes),
      padded: paddingNotes(s.design, s.analysis.nodes).get(id),
      analysisError: a?.error,
      known: a !== undefined,
      stat: s.stat,
      statOfNode: s.stat === 'none' || s.stat === 'time' ? 0 : statValue(a, s.stat),
      statMax: s.stat === 'none' || s.stat === 'time' ? 0 : s.statMax[s.stat],
    };
  }));
  // time is measured, not derived: the Run tab's last profile (profile-store.ts), read only while the bars show it
  const timed = useProfileTimes(useShallow((t) => (stat === 'time' && t.times ? { ms: t.times.ms[id], max: t.times.max, where: t.times.where } : null)));
  const kind = node ? getLayerKind(node.kind) : undefined;
  const summary = useMemo(() => (node ? nodeSummary(node) : ''), [node]);
  const title = useMemo(() => (node ? fitName(node.name ?? node.id, NODE_NAME_PX, NODE_NAME_FONT) : ''), [node]);
  if (!node) return null;
  // the node already says who it is: drop the "kind 'id': " prefix the analysis puts on its messages
  // the node's own error: the box names the node already, so the message goes without its label
  const error = analysisError;
  const blocked = !error && known && !computed;
  const rf = `RF ${rfText}`;
  const params = computed ? `${paramCount >= 1e6 ? formatCompact(paramCount) : formatInt(paramCount)} params` : '? params';
  return (
    <div
      className={`layer-node cat-${kind?.category ?? 'unknown'}${selected ? ' selected' : ''}${error ? ' has-error' : ''}${blocked ? ' blocked' : ''}${previewed ? ' previewed' : ''}${change ? ` delta-${change}` : ''}`}
      data-testid={`node-${id}`}
      data-node-id={id}
    >
      {kind?.arity.max !== 0 && <Handle type="target" position={Position.Top} className="handle" />}
      <div className="layer-head">
        <span className="swatch" />
        <span className="layer-name" title={node.name ?? node.id}>{title}</span>
        {padded && <span className="padding-mark" data-testid={`padding-mark-${id}`} title={padded}>mostly padding</span>}
        {advised > 0 && <span className="advice-mark" data-testid={`advice-mark-${id}`} title={`${advised} piece${advised > 1 ? 's' : ''} of advice: see the Advice tab`}>✦</span>}
      </div>
      {change && <div className="layer-delta" data-testid={`node-delta-${id}`}>{changeText}</div>}
      <div className="layer-summary">{summary}</div>
      <div className="layer-stats">
        <span className="layer-params">{params}</span>
        <span className="layer-rf" title={rfLarger ? `Receptive field ${rfText}: ${FIELD_LARGER_THAN_INPUT}` : undefined}>
          {rf}{rfLarger && <span className="rf-larger" data-testid={`node-rf-larger-${id}`}> &gt; input</span>}
        </span>
      </div>
      {stat !== 'none' && (
        stat === 'time' ? <TimeBar timed={timed} /> : (
          <div className="layer-bar" title={`${STAT_LABEL[stat]}: ${formatInt(statOfNode)}`}>
            <div style={{ width: `${statMax > 0 ? (100 * statOfNode) / statMax : 0}%` }} />
          </div>
        )
      )}
      {error && <div className="layer-error" role="note">{error}</div>}
      {outputPlace !== undefined && (
        <span className="output-mark" data-testid={`output-mark-${id}`} title={outputCount > 1 ? `Output ${outputPlace + 1} of the model's ${outputCount}` : 'The model\'s output'}>
          {outputCount > 1 ? `out ${outputPlace + 1}` : 'out'}
        </span>
      )}
      <Handle type="source" position={Position.Bottom} className="handle" />
    </div>
  );
});
