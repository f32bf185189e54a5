import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { signedBytes, signedInt } from '../store/compare.ts';
import {
  dropInapplicable, FIELD_LARGER_THAN_INPUT, fieldLargerThanInput, formatInt, formatPair, formatShape, formatStride, getLayerKind, rfSizesByPosition, memoryTotals, paramApplies, validateParams,
  type Analysis, type DesignNode, type GroupKind, type LayerKind, type NodeAnalysis, type ParamSpec,
} from '../../engine/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { exactGroup, GROUP_KIND_CHOICES } from '../../engine/groups.ts';
import { formatParamValue, parseParamText, sameValue } from './param-text.ts';
import { quickFixes } from '../../engine/quick-fixes.ts';
import { NAME_ROOM, shortName } from './names.ts';
import { ExplainLayer } from './explain/ExplainLayer.tsx';
import { OutputField } from './OutputField.tsx';
import { SelectionFields } from './SelectionFields.tsx';
import { paddingNotes } from '../../engine/padding-note.ts';
import { InputOrderField } from './InputOrderField.tsx';

/** The right panel: the selected layer's name, a form from its param schema, and the arithmetic. */
export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const id = selection.length === 1 ? selection[0] : undefined;
  const node = useEditor((s) => (id ? s.nodesById[id] : undefined));
  const a = useEditor((s) => (id ? s.nodeAnalysis[id] : undefined));
  if (selection.length > 1) return <SelectionInspector selection={selection} />;
  if (!node) return <DesignInspector />;
  const kind = getLayerKind(node.kind);
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      <div className={`inspector-kind cat-${kind?.category ?? 'unknown'}`}>
        <span className="swatch" />
        {kind?.title ?? node.kind}
        <span className="inspector-id" title={`id in the design file: ${node.id}`}>{shortName(node.id, NAME_ROOM.inspector)}</span>
      </div>
      {kind && <p className="inspector-doc">{kind.doc}</p>}
      {/* the error and its quick fixes come first, where the person looks, not below the settings */}
      {a?.error && <div className="inspector-error" role="alert">{a.error}</div>}
      {a?.error && <QuickFixes node={node} a={a} />}
      <PaddingWarning nodeId={node.id} />
      <NameField key={`name-${node.id}`} node={node} />
      {node.group && <GroupLine groupId={node.group} />}
      <OutputField nodeId={node.id} />
      <InputOrderField nodeId={node.id} />
      {kind && <ParamForm key={`form-${node.id}`} node={node} kind={kind} />}
      {a && <Numbers node={node} kind={kind} a={a} />}
      {a && <ExplainLayer node={node} a={a} />}
    </aside>
  );
}

/** A layer whose windows are mostly padding (engine/padding-note.ts): the warning, where the person looks. */
function PaddingWarning({ nodeId }: { nodeId: string }) {
  const note = useEditor((s) => paddingNotes(s.design, s.analysis.nodes).get(nodeId));
  return note ? <div className="inspector-warning" role="note" data-testid="padding-warning">{note}</div> : null;
}

/**
 * Several layers selected: their totals, and "Group selection" to make a block of them, or, where they are exactly
 * one group already (a block just inserted, a frame's layers), that group with "Ungroup".
 */
function SelectionInspector({ selection }: { selection: string[] }) {
  const store = useEditorStore();
  const group = useEditor((s) => exactGroup(s.design, selection));
  const totals = useEditor(
    (s) => {
      let params = 0;
      let macs = 0;
      let unknown = 0;
      for (const id of selection) {
        const a = s.nodeAnalysis[id];
        if (!a?.outputShape) unknown++;
        else {
          params += a.params;
          macs += a.macs;
        }
      }
      return `${params}|${macs}|${unknown}`;
    },
  ).split('|').map(Number);
  const [kind, setKind] = useState<GroupKind>('block');
  const [label, setLabel] = useState('');
  const make = () => {
    const id = store.getState().groupSelection({ kind, label });
    if (id) store.getState().notify('info', `Grouped ${selection.length} layers as '${store.getState().design.groups?.find((g) => g.id === id)?.label ?? id}'`);
  };
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="selection-inspector">
      <h2 className="inspector-title">{selection.length} layers selected</h2>
      <dl className="selection-totals">
        <dt>Parameters</dt><dd data-testid="selection-params">{formatInt(totals[0])}</dd>
        <dt>MACs</dt><dd>{formatInt(totals[1])}</dd>
      </dl>
      {totals[2] > 0 && <p className="muted">{totals[2]} of them cannot be computed yet (not counted).</p>}
      <SelectionFields selection={selection} />
      {group ? <GroupLine groupId={group} /> : (
      <div className="group-form">
        <label className="field">
          <span>Block kind</span>
          <select data-testid="group-kind" value={kind} onChange={(e) => setKind(e.target.value as GroupKind)}>
            {GROUP_KIND_CHOICES.map((c) => <option key={c.kind} value={c.kind}>{c.label}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Label</span>
          <input data-testid="group-label" value={label} placeholder="e.g. Stem" onChange={(e) => setLabel(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') make(); }} />
        </label>
        <button className="primary" data-testid="group-selection" onClick={make} title="Ctrl+G">Group selection</button>
      </div>
      )}
      <p className="muted">A group is drawn as one frame with its totals and can be collapsed to one node. Delete removes the layers; Ctrl+Z brings them back.</p>
    </aside>
  );
}

/** The group a layer belongs to, with a button to dissolve it. */
function GroupLine({ groupId }: { groupId: string }) {
  const store = useEditorStore();
  const label = useEditor((s) => s.design.groups?.find((g) => g.id === groupId)?.label ?? groupId);
  return (
    <div className="field group-line">
      <span>Group</span>
      <span className="group-line-value">
        <span data-testid="node-group">{label}</span>
        <button data-testid="ungroup" title="Dissolve the group; its layers stay (Ctrl+Shift+G)" onClick={() => store.getState().ungroup(groupId)}>Ungroup</button>
      </span>
    </div>
  );
}

function DesignInspector() {
  const name = useEditor((s) => s.design.name);
  const description = useEditor((s) => s.design.description);
  const store = useEditorStore();
  return (
    <aside className="inspector" aria-label="Inspector">
      <h2 className="inspector-title">Design</h2>
      <label className="field">
        <span>Name</span>
        <input
          value={name}
          data-testid="design-name"
          onChange={(e) => store.getState().edit((d) => ({ ...d, name: e.target.value }), { coalesce: 'design-name' })}
        />
      </label>
      {description && <p className="inspector-doc">{description}</p>}
      <p className="muted">Select a layer to edit it. Drag from a layer’s bottom handle to another’s top handle to wire them.</p>
    </aside>
  );
}

function NameField({ node }: { node: DesignNode }) {
  const store = useEditorStore();
  return (
    <label className="field">
      <span>Name</span>
      <input
        data-testid="field-name"
        value={node.name ?? ''}
        placeholder={node.id}
        onChange={(e) => store.getState().rename(node.id, e.target.value)}
      />
    </label>
  );
}

function ParamForm({ node, kind }: { node: DesignNode; kind: LayerKind }) {
  // a param of another setting (a leaky ReLU's slope while fn is relu) is hidden
  const entries = Object.entries(kind.params).filter(([, spec]) => paramApplies(spec, node.params, kind.params));
  if (!entries.length) return <p className="muted">This layer has no settings.</p>;
  return (
    <div className="param-form">
      {entries.map(([key, spec]) => (
        <ParamField key={key} node={node} kind={kind} name={key} spec={spec} />
      ))}
    </div>
  );
}

function fieldIssue(kind: LayerKind, node: DesignNode, name: string, raw: unknown): string | null {
  const params = { ...node.params };
  if (raw === undefined) delete params[name];
  else params[name] = raw;
  const { issues } = validateParams(kind.params, params);
  return issues.find((i) => i.field === name)?.message ?? null;
}

/** The key of a node's param among the store's `fieldDrafts`. */
const fieldKey = (nodeId: string, name: string) => `${nodeId}\u0000${name}`;

/**
 * One param's control. Text fields apply as they are typed, but only text that parses and validates reaches the
 * design: while the text is wrong the field keeps it, red, with the reason, and the design keeps the last valid
 * value the person meant: a valid text the wrong one merely extends is a prefix typed on the way (the `6` of
 * `6x4`, the `12` of `12o`), not a value, so it goes back too. The wrong text survives selecting another layer and
 * coming back; Escape puts the field back to the value it had when the person began typing.
 */
function ParamField({ node, kind, name, spec }: { node: DesignNode; kind: LayerKind; name: string; spec: ParamSpec }) {
  const store = useEditorStore();
  const value = node.params[name];
  const shown = value === undefined ? spec.default : value;
  const key = fieldKey(node.id, name);
  const draft = useEditor((s) => s.fieldDrafts[key]);
  const [text, setText] = useState(draft ?? formatParamValue(shown));
  const [issue, setIssue] = useState<string | null>(() =>
    draft !== undefined ? fieldIssue(kind, node, name, parseParamText(spec, draft)) : value === undefined ? null : fieldIssue(kind, node, name, value));
  const committed = useRef<unknown>(value);
  // the value the field had when the person began this edit: what Escape restores
  const before = useRef<unknown>(value);
  // the valid texts typed since, with their values: a wrong text goes back to the last one it does not extend
  const typed = useRef<{ text: string; value: unknown }[]>([]);
  // An outside change (undo, redo) replaces the text; the person's own edits do not.
  useEffect(() => {
    if (!sameValue(value, committed.current)) {
      committed.current = value;
      before.current = value;
      typed.current = [];
      setText(formatParamValue(value === undefined ? spec.default : value));
      setIssue(null);
      store.getState().setFieldDraft(key, null);
    }
  }, [value, spec, store, key]);

  const apply = (raw: unknown) => {
    committed.current = raw;
    const params = { ...node.params };
    if (raw === undefined) delete params[name];
    else params[name] = raw;
    // a change of fn drops the params that no longer apply (alpha, once a leaky ReLU becomes a relu)
    store.getState().setParams(node.id, dropInapplicable(kind.params, params), `param:${node.id}:${name}`);
  };
  const commit = (raw: unknown) => {
    const problem = fieldIssue(kind, node, name, raw);
    setIssue(problem);
    if (problem) return;
    before.current = raw;
    apply(raw);
  };
  const onText = (t: string) => {
    setText(t);
    const raw = parseParamText(spec, t);
    const problem = fieldIssue(kind, node, name, raw);
    setIssue(problem);
    if (problem) {
      store.getState().setFieldDraft(key, t);
      // a valid prefix ("6" of "6x4") applied a moment ago goes back: the design keeps its last valid value
      const meant = typed.current.filter((v) => !t.trim().startsWith(v.text)).pop();
      const keep = meant ? meant.value : before.current;
      if (!sameValue(committed.current, keep)) apply(keep);
      return;
    }
    store.getState().setFieldDraft(key, null);
    typed.current.push({ text: t.trim(), value: raw });
    apply(raw);
  };
  const restore = () => {
    typed.current = [];
    setText(formatParamValue(before.current === undefined ? spec.default : before.current));
    setIssue(null);
    store.getState().setFieldDraft(key, null);
    if (!sameValue(committed.current, before.current)) apply(before.current);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // the value applies as it is typed; Enter leaves the field, as a person expects of a form; Escape takes it back
    if (e.key === 'Enter') e.currentTarget.blur();
    else if (e.key === 'Escape') {
      e.preventDefault();
      restore();
    }
  };
  const onLeave = () => {
    if (issue) {
      const keeps = formatParamValue(committed.current === undefined ? spec.default : committed.current) || 'no value';
      store.getState().notify('error', `${spec.label} of '${node.name ?? node.id}' reads “${text}”, which is not applied (${issue}); the layer keeps ${keeps}. Fix the text or press Escape in the field.`);
    } else {
      before.current = committed.current;
      typed.current = [];
    }
  };
  const hint = spec.type === 'int' || spec.type === 'int2' || spec.type === 'float'
    ? `${spec.min}–${formatInt(spec.max)}${spec.default !== undefined ? `, default ${formatParamValue(spec.default)}` : ''}`
    : spec.type === 'shape' ? 'H, W, C or N' : undefined;

  let control;
  if (spec.type === 'bool') {
    control = (
      <input
        type="checkbox"
        data-testid={`field-${name}`}
        checked={(value ?? spec.default) === true}
        onChange={(e) => commit(e.target.checked)}
      />
    );
  } else if (spec.type === 'enum') {
    control = (
      <select data-testid={`field-${name}`} value={String(value ?? spec.default ?? '')} onChange={(e) => commit(e.target.value)}>
        {spec.options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (spec.type === 'padding') {
    const mode = typeof (value ?? spec.default) === 'string' ? String(value ?? spec.default) : 'explicit';
    control = (
      <span className="padding-control">
        <select
          data-testid={`field-${name}`}
          value={mode}
          onChange={(e) => {
            const m = e.target.value;
            if (m === 'explicit') {
              setText('1');
              commit(1);
            } else commit(m);
          }}
        >
          <option value="valid">valid</option>
          <option value="same">same</option>
          <option value="explicit" title="explicit pixels (the PyTorch rule)">pixels</option>
        </select>
        {mode === 'explicit' && (
          <input data-testid={`field-${name}-pixels`} value={text} onChange={(e) => onText(e.target.value)} inputMode="numeric"
            aria-invalid={issue ? true : undefined} onKeyDown={onKeyDown} onBlur={onLeave} />
        )}
      </span>
    );
  } else {
    control = (
      <input
        data-testid={`field-${name}`}
        value={text}
        placeholder={spec.optional && spec.default === undefined ? 'auto' : undefined}
        inputMode={spec.type === 'float' ? 'decimal' : 'numeric'}
        aria-invalid={issue ? true : undefined}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={onLeave}
      />
    );
  }
  const [since, setSince] = useState<Snapshot | null>(null);
  return (
    <label className={`field${issue ? ' invalid' : ''}${spec.type === 'bool' ? ' field-bool' : ''}`}
      onFocus={() => setSince((p) => p ?? snapshot(store.getState(), node.id))}
      onBlur={() => setSince(null)}>
      <span title={spec.help}>{spec.label}</span>
      {control}
      {hint && !issue && <small className="field-hint">{hint}</small>}
      {issue && <small className="field-issue" role="alert">{issue}</small>}
      {since && !issue && <FieldChange since={since} nodeId={node.id} />}
    </label>
  );
}

/** The design's totals and the layer's receptive field when a field got the focus. */
interface Snapshot { params: number; macs: number; bytes: number; rf: string }

/** A field's stride per axis as the inspector writes pairs (`2×2`, `½×⅓`). */
const formatStrideXY = (s: readonly [number, number]) => `${formatStride(s[0])}×${formatStride(s[1])}`;

function rfWord(a: NodeAnalysis | undefined): string {
  return a?.receptiveField ? formatPair(a.receptiveField.size) + (a.receptiveField.global ? ' + global' : '') : '—';
}

function snapshot(s: { analysis: { totals: { params: number; macs: number }; nodes: NodeAnalysis[] }; nodeAnalysis: Record<string, NodeAnalysis>; batch: number }, id: string): Snapshot {
  return {
    params: s.analysis.totals.params, macs: s.analysis.totals.macs,
    bytes: memoryTotals(s.analysis as Analysis, s.batch).forwardBackwardBytes, rf: rfWord(s.nodeAnalysis[id]),
  };
}

/** While a field has the focus: what the value typed so far changes against the value it had (design totals). */
function FieldChange({ since, nodeId }: { since: Snapshot; nodeId: string }) {
  const now = useEditor(useShallow((s) => snapshot(s, nodeId)));
  if (now.params === since.params && now.macs === since.macs && now.rf === since.rf && now.bytes === since.bytes) return null;
  const parts = [`${signedInt(now.params - since.params)} params`, `${signedInt(now.macs - since.macs)} MACs`];
  if (now.rf !== since.rf) parts.push(`RF ${since.rf} → ${now.rf}`);
  if (now.bytes !== since.bytes) parts.push(`${signedBytes(now.bytes - since.bytes)} forward/backward`);
  return <small className="field-change" data-testid="field-change">This change: {parts.join(', ')}</small>;
}

function Numbers({ node, kind, a }: { node: DesignNode; kind: LayerKind | undefined; a: NodeAnalysis }) {
  const lines = useMemo(() => {
    if (!kind?.explain || !a.outputShape || !a.inputShapes || a.inputShapes.some((s) => !s)) return [];
    const { params } = validateParams(kind.params, node.params);
    if (!params) return [];
    try {
      return kind.explain({ params, inputs: a.inputShapes as number[][], output: a.outputShape });
    } catch {
      return [];
    }
  }, [kind, node, a]);
  const rf = a.receptiveField;
  const rfLarger = useEditor((s) => fieldLargerThanInput(a, s.analysis.nodes));
  return (
    <div className="numbers">
      {!a.error && a.blockedBy && <div className="muted">Waits on '{a.blockedBy}', which has an error.</div>}
      <dl>
        {a.inputShapes && a.inputShapes.length > 0 && (
          <><dt>Input</dt><dd>{a.inputShapes.map(formatShape).join(' + ')}</dd></>
        )}
        <dt>Output</dt><dd data-testid="inspector-output">{formatShape(a.outputShape)}</dd>
        <dt>Params</dt>
        <dd data-testid="inspector-params">
          {a.outputShape ? formatInt(a.params) : '?'}
          {a.nonTrainableParams > 0 && <span className="muted"> ({formatInt(a.nonTrainableParams)} non-trainable)</span>}
        </dd>
        <dt>MACs</dt><dd>{a.outputShape ? formatInt(a.macs) : '?'}</dd>
        <dt>Receptive field</dt>
        <dd data-testid="inspector-rf">{rf ? `${formatPair(rf.size)}, stride ${formatStrideXY(rf.stride)}, padding ${formatPair(rf.padding)}` : a.outputShape ? '— (no spatial layout after flatten, global pooling or dense)' : '?'}
          {rfLarger && <div className="muted" data-testid="inspector-rf-larger">{FIELD_LARGER_THAN_INPUT[0].toUpperCase() + FIELD_LARGER_THAN_INPUT.slice(1)}.</div>}</dd>
        {rf && rfSizesByPosition(rf) && (
          <dd className="muted" data-testid="inspector-rf-phases">
            Units see {rfSizesByPosition(rf)} (behind an upsampling neighbours share input pixels); {formatPair(rf.size)} is
            the largest window and stride {formatStrideXY(rf.stride)} the average step between neighbouring units.
          </dd>
        )}
        {rf?.global && (
          <dd className="muted" data-testid="inspector-rf-global">
            + global: a path through a global pooling (a squeeze-and-excitation gate) reaches this layer too, so each
            unit also depends on every input pixel; {formatPair(rf.size)} is the window of its spatial paths.
          </dd>
        )}
      </dl>
      {lines.length > 0 && (
        <div className="explain" data-testid="explain">
          {lines.map((l, i) => <div key={i}>{l}</div>)}
        </div>
      )}
    </div>
  );
}

function QuickFixes({ node, a }: { node: DesignNode; a: NodeAnalysis }) {
  const store = useEditorStore();
  const design = useEditor((s) => s.design);
  const depth = useEditor((s) => s.depth);
  const fixes = useMemo(() => quickFixes(design, node, a, depth), [design, node, a, depth]);
  if (!fixes.length) return null;
  return (
    <div className="quick-fixes" data-testid="quick-fixes">
      <div className="muted">Quick fix</div>
      {fixes.map((f) => (
        <button key={f.message} className="quick-fix" onClick={() => {
          // one undo step; the view follows the layer it added (or the layer it changed). A fix found on a design
          // that has changed since (an auto-layout landing between render and click) is not applied over it.
          if (!store.getState().applyQuickFix(f, design)) store.getState().notify('info', 'The design changed a moment ago, so that fix was not applied: choose it again');
        }}>{f.message}</button>
      ))}
    </div>
  );
}
