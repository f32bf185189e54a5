import { RunPanel } from './run/RunPanel.tsx';
import { MemoryPeak } from './MemoryPeak.tsx';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  formatError, formatBytes, formatCompact, formatInt, getLayerKind, paramTotalLines, memoryTotals, outputBytes, fieldLargerThanInput, FIELD_LARGER_THAN_INPUT,
  type AdviceDetail, type AnalysisError, type NodeAnalysis,
} from '../../engine/index.ts';
import { deltaText, signedBytes, signedInt, type LayerDelta } from '../store/compare.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { statValue, type Stat } from '../store/editor-store.ts';
import { STAT_LABEL } from './stats.ts';
import { fitName, NAME_ROOM, shortName } from './names.ts';
import { bySaving } from '../../engine/advice-order.ts';
import { cellText, columnWidths, COLUMNS, nameRoom, RF_LARGER_SUFFIX, TABLE_TEXT_FONT, type SortKey } from './table-columns.ts';

type Tab = 'layers' | 'chart' | 'errors' | 'advice' | 'run';

/** Table rows have one fixed height, so a long table can draw only the rows in view. */
const ROW_HEIGHT = 23;
const HEAD_HEIGHT = 27;
const VIRTUAL_FROM = 150;
const OVERSCAN = 12;


function sortValue(r: NodeAnalysis, key: SortKey): number | string {
  switch (key) {
    case 'name': return (r.name ?? r.id).toLowerCase();
    case 'kind': return r.kind;
    case 'shape': return r.outputShape ? r.outputShape.reduce((a, b) => a * b, 1) : -1;
    case 'params': return r.params;
    case 'macs': return r.macs;
    case 'rf': return r.receptiveField ? r.receptiveField.size[0] * r.receptiveField.size[1] : -1;
    case 'bytes': return outputBytes(r);
    default: return 0;
  }
}

/** The bottom panel: a Keras-like table with group subtotals, the error list, and a slot for the Run panel. */
export function SummaryPanel() {
  const [tab, setTab] = useState<Tab>('layers');
  const errors = useEditor((s) => s.analysis.errors);
  // another design opened: table, chart and error list start at their top (a fresh mount each)
  const loadSeq = useEditor((s) => s.loadSeq);
  const adviceCount = useEditor((s) => s.advice.length);
  // a preset that teaches through its advice opens on this tab
  const adviceTabSeq = useEditor((s) => s.adviceTabSeq);
  useEffect(() => {
    if (adviceTabSeq) setTab('advice');
  }, [adviceTabSeq]);
  return (
    <section className="bottom-panel" aria-label="Summary">
      <div className="bottom-main">
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'layers'} onClick={() => setTab('layers')}>Layers</button>
          <button role="tab" aria-selected={tab === 'chart'} data-testid="tab-chart" onClick={() => setTab('chart')}>Chart</button>
          <button role="tab" aria-selected={tab === 'errors'} data-testid="tab-errors" onClick={() => setTab('errors')}
            className={errors.length ? 'tab-errors has' : 'tab-errors'}>
            Errors{errors.length ? ` (${errors.length})` : ''}
          </button>
          <button role="tab" aria-selected={tab === 'advice'} data-testid="tab-advice" onClick={() => setTab('advice')}>
            Advice{adviceCount ? ` (${adviceCount})` : ''}
          </button>
          <button role="tab" aria-selected={tab === 'run'} onClick={() => setTab('run')}>Run</button>
        </div>
        <div className="tab-body" key={`layers-${loadSeq}`} hidden={tab !== 'layers'}><LayerTable /></div>
        <div className="tab-body" key={`chart-${loadSeq}`} hidden={tab !== 'chart'}>{tab === 'chart' && <BarChart />}</div>
        <div className="tab-body" key={`errors-${loadSeq}`} hidden={tab !== 'errors'}><ErrorList errors={errors} /></div>
        <div className="tab-body" key={`advice-${loadSeq}`} hidden={tab !== 'advice'}>{tab === 'advice' && <AdviceList />}</div>
        <div className="tab-body" hidden={tab !== 'run'}>
          <div id="run-panel-slot" className="run-slot"><RunPanel /></div>
        </div>
      </div>
      <Totals onShowErrors={() => setTab('errors')} />
    </section>
  );
}

function LayerTable() {
  const store = useEditorStore();
  const rows = useEditor((s) => s.analysis.nodes);
  const groups = useEditor((s) => s.analysis.groups);
  const designNodes = useEditor((s) => s.design.nodes);
  const nodeGroups = useMemo(() => designNodes.map((n) => n.group ?? ''), [designNodes]);
  const selection = useEditor((s) => s.selection);
  const batch = useEditor((s) => s.batch);
  const comparison = useEditor((s) => s.comparison);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'order', desc: false });
  const reveal = useCallback((id: string) => store.getState().reveal(id), [store]);

  const body = useMemo(() => {
    type Row = { type: 'group'; id: string; label: string; params: number; macs: number; count: number } | { type: 'node'; r: NodeAnalysis };
    if (sort.key !== 'order') {
      const sorted = [...rows].sort((a, b) => {
        const x = sortValue(a, sort.key);
        const y = sortValue(b, sort.key);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return sort.desc ? -c : c;
      });
      return sorted.map((r): Row => ({ type: 'node', r }));
    }
    const byId = new Map(groups.map((g) => [g.id, g]));
    const out: Row[] = [];
    let current = '';
    rows.forEach((r, i) => {
      const g = nodeGroups[i] ?? '';
      if (g && g !== current) {
        const ga = byId.get(g);
        out.push({ type: 'group', id: g, label: ga?.label ?? g, params: ga?.params ?? 0, macs: ga?.macs ?? 0, count: ga?.nodeCount ?? 0 });
      }
      current = g;
      out.push({ type: 'node', r });
    });
    return out;
  }, [rows, groups, nodeGroups, sort]);

  const selected = new Set(selection);
  const clickHeader = (key: SortKey) =>
    setSort((s) => (s.key !== key ? { key, desc: key === 'params' || key === 'macs' || key === 'rf' } : s.desc === (key === 'params' || key === 'macs' || key === 'rf') ? { key, desc: !s.desc } : { key: 'order', desc: false }));

  // Long tables (DenseNet-121 has 427 rows) draw only the rows in view, so an edit that changes every shape
  // lays out a screenful of rows, not all of them.
  const wrap = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400, width: 900 });
  // the table's element exists once there are rows: measure it then
  const hasRows = rows.length > 0;
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [hasRows]);
  // a layer selected elsewhere (canvas, find) scrolls into the table's view
  const focus = selection.length === 1 ? selection[0] : null;
  useEffect(() => {
    const el = wrap.current;
    if (!el || !focus) return;
    const i = body.findIndex((r) => r.type === 'node' && r.r.id === focus);
    if (i < 0) return;
    const y = i * ROW_HEIGHT;
    if (y < el.scrollTop || y + ROW_HEIGHT > el.scrollTop + el.clientHeight - HEAD_HEIGHT) el.scrollTop = Math.max(0, y - el.clientHeight / 2);
    // only a new selection scrolls: rows changing under a kept selection (an edit elsewhere) must not move the view
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);
  const virtual = body.length > VIRTUAL_FROM;
  const first = virtual ? Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN) : 0;
  const last = virtual ? Math.min(body.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN) : body.length;

  // The Δ column shows while some layer differs from the baseline (after an undo back to it, none does).
  const deltas = useMemo(() => {
    if (!comparison || (comparison.layers.size === 0 && comparison.removed.length === 0)) return null;
    return [...comparison.layers.values(), ...comparison.removed].map(deltaText);
  }, [comparison]);
  const widths = useMemo(() => columnWidths(rows, batch, deltas), [rows, batch, deltas]);
  const room = nameRoom(view.width, widths);

  if (!rows.length) return <p className="muted pad">No layers yet.</p>;
  return (
    <div className="table-wrap" ref={wrap} onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight, width: e.currentTarget.clientWidth })}>
      <table className={`summary-table${virtual ? ' virtual' : ''}${deltas ? ' comparing' : ''}`} data-testid="summary-table"
        style={{ minWidth: widths.tableMin }}>
        <colgroup>
          {COLUMNS.map((c) => <col key={c.key} className={`col-${c.key}`} style={c.key === 'name' ? undefined : { width: widths.px[c.key] }} />)}
          {deltas && <col className="col-delta" style={{ width: widths.px.delta }} />}
        </colgroup>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} className={c.numeric ? 'num' : ''} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                <button onClick={() => clickHeader(c.key)}>
                  {c.label}
                  {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
                </button>
              </th>
            ))}
            {deltas && <th className="delta-head">Δ vs baseline</th>}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr className="spacer" aria-hidden style={{ height: first * ROW_HEIGHT }} />}
          {body.slice(first, last).map((row) =>
            row.type === 'group' ? (
              <tr key={`g-${row.id}`} className="group-row">
                <td colSpan={3}>{row.label}</td>
                <td className="num">{formatInt(row.params)}</td>
                <td className="num">{formatCompact(row.macs)}</td>
                <td />
                <td />
                {deltas && <td />}
              </tr>
            ) : (
              <LayerRow key={row.r.id} r={row.r} selected={selected.has(row.r.id)} onPick={reveal} batch={batch} room={room}
                fieldLarger={fieldLargerThanInput(row.r, rows)}
                delta={deltas && comparison ? comparison.layers.get(row.r.id) ?? null : undefined} />
            ),
          )}
          {last < body.length && <tr className="spacer" aria-hidden style={{ height: (body.length - last) * ROW_HEIGHT }} />}
          {comparison?.removed.map((d) => (
            <tr key={`removed-${d.id}`} className="removed-row" data-testid={`removed-${d.id}`}>
              <td title={d.name}><span className="swatch" />{d.name}</td>
              <td colSpan={6} className="muted">not in this design</td>
              <td className="delta">{deltaText(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One layer's row; re-renders only when its analysis or selection changes. */
const LayerRow = memo(function LayerRow({ r, selected, onPick, batch, delta, room, fieldLarger }: {
  r: NodeAnalysis; selected: boolean; onPick: (id: string) => void; batch: number;
  /** pixels the name column has room for (`nameRoom`) */
  room: number;
  /** the field is larger than the input (engine/field-note.ts): the cell says so */
  fieldLarger: boolean;
  /** undefined: nothing pinned; null: pinned and unchanged */
  delta?: LayerDelta | null;
}) {
  return (
    <tr className={`${selected ? 'selected' : ''}${r.error ? ' error' : ''}${delta ? ` delta-${delta.change}` : ''}`} data-testid={`row-${r.id}`} onClick={() => onPick(r.id)}>
      <td className={`cat-${getLayerKind(r.kind)?.category ?? 'unknown'}`} title={r.name ?? r.id}><span className="swatch" />{fitName(r.name ?? r.id, room, TABLE_TEXT_FONT)}</td>
      <td>{cellText(r, 'kind', batch)}</td>
      <td>{cellText(r, 'shape', batch)}</td>
      <td className="num">{cellText(r, 'params', batch)}</td>
      <td className="num">{cellText(r, 'macs', batch)}</td>
      <td className="num" title={fieldLarger ? FIELD_LARGER_THAN_INPUT : undefined} data-testid={`rf-${r.id}`}>
        {cellText(r, 'rf', batch)}{fieldLarger && <span className="rf-larger">{RF_LARGER_SUFFIX}</span>}
      </td>
      <td className="num" data-testid={`bytes-${r.id}`}>{cellText(r, 'bytes', batch)}</td>
      {delta !== undefined && <td className="delta" data-testid={`delta-${r.id}`} title={delta ? deltaText(delta) : 'unchanged'}>{delta ? deltaText(delta) : ''}</td>}
    </tr>
  );
});

/** The advice (docs/advice.md#advice): each lesson with its exact saving, a preview on the canvas and Apply. */
function AdviceList() {
  const store = useEditorStore();
  const advice = useEditor((s) => s.advice);
  const current = useEditor((s) => s.adviceFor === s.design);
  const preview = useEditor((s) => s.preview);
  const nodesById = useEditor((s) => s.nodesById);
  useEffect(() => () => store.getState().setPreview(null), [store]);
  if (!advice.length) {
    return <p className="muted pad" data-testid="advice-none">{current ? 'No advice: none of the lessons of the classic CNNs applies here.' : 'Looking for advice…'}</p>;
  }
  const showing = (a: AdviceDetail) => preview !== null && preview.rule === a.rule && preview.nodeId === a.nodeId;
  const shown = bySaving(advice);
  return (
    <ul className="advice-list" data-testid="advice-list">
      {shown.map((a) => (
        <li key={`${a.rule}:${a.nodeId}`} className={`advice-item rule-${a.rule}${showing(a) ? ' previewing' : ''}`} data-testid={`advice-${a.rule}-${a.nodeId}`}>
          <div className="advice-head">
            <span className="advice-rule">{RULE_TITLE[a.rule]}</span>
            <button className="advice-layer" onClick={() => store.getState().reveal(a.nodeId)}>{nodesById[a.nodeId]?.name ?? a.nodeId}</button>
            {a.saving && <span className="advice-saving" data-testid="advice-saving">{a.saving}</span>}
          </div>
          <div className="advice-lesson">{a.lesson.charAt(0).toUpperCase() + a.lesson.slice(1)}</div>
          {/* every rule but the receptive-field note rewrites the design (the worker sends items without the copy) */}
          {a.rule !== 'receptive-field-coverage' && (
            <div className="advice-actions">
              {/* a reordering (branch order) moves no layer on the canvas: nothing to preview there */}
              {a.rewritten.length + a.added.length > 0 && <button data-testid="advice-preview" aria-pressed={showing(a)}
                onClick={() => store.getState().setPreview(showing(a) ? null : a)}>{showing(a) ? 'Hide preview' : 'Preview'}</button>}
              <button className="primary" data-testid="advice-apply" disabled={!current} onClick={() => {
                if (store.getState().applyAdvice(a)) store.getState().notify('info', `Applied: ${RULE_TITLE[a.rule].toLowerCase()} on ${nodesById[a.nodeId]?.name ?? a.nodeId} (Ctrl+Z undoes it)`);
              }}>Apply</button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

const RULE_TITLE: Record<AdviceDetail['rule'], string> = {
  'factorize-kernel': 'Factorize the kernel',
  'bottleneck-1x1': '1×1 bottleneck',
  'global-pool-head': 'Global pool head',
  'bias-before-batchnorm': 'Bias before batch norm',
  'receptive-field-coverage': 'Receptive field',
  'depthwise-separable': 'Depthwise separable',
  checkerboard: 'Checkerboard',
  'branch-order': 'Branch order',
};

/** The analysis' errors, each with its node's label in front (`formatError`); a click goes to the node. */
function ErrorList({ errors }: { errors: AnalysisError[] }) {
  const store = useEditorStore();
  const nodes = useEditor((s) => s.design.nodes);
  if (!errors.length) return <p className="muted pad">No errors: every layer fits.</p>;
  return (
    <ul className="error-list" data-testid="error-list">
      {errors.map((e, i) => (
        <li key={i}>
          <button
            disabled={!e.nodeId}
            onClick={() => {
              if (e.nodeId) store.getState().reveal(e.nodeId);
            }}
          >
            {formatError(e, { nodes })}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The element each params line is read by (tests and the lesson e2e). */
const PARAM_TESTID = { total: 'total-params', trainable: 'trainable-params', nonTrainable: 'nontrainable-params' } as const;

function Totals({ onShowErrors }: { onShowErrors: () => void }) {
  const store = useEditorStore();
  const totals = useEditor((s) => s.analysis.totals);
  const nodes = useEditor((s) => s.analysis.nodes);
  const batch = useEditor((s) => s.batch);
  const errors = useEditor((s) => s.analysis.errors.length);
  const count = useEditor((s) => s.design.nodes.length);
  const comparison = useEditor((s) => s.comparison);
  const baseline = useEditor((s) => s.baseline);
  const memory = useMemo(() => memoryTotals({ nodes, totals }, batch), [nodes, totals, batch]);
  const [batchText, setBatchText] = useState(String(batch));
  useEffect(() => setBatchText((t) => (Number(t) === batch ? t : String(batch))), [batch]);
  const d = comparison?.totals;
  const dm = comparison?.memory;
  // the change against the baseline sits beside a line, never inside it: each line reads the same pinned or not
  const delta = (id: string, n: number | undefined, bytes = false) =>
    n === undefined ? null : <span className={`total-delta${n < 0 ? ' down' : n > 0 ? ' up' : ''}`} data-testid={`change-${id}`}>{bytes ? signedBytes(n) : signedInt(n)}</span>;
  return (
    <div className="totals" data-testid="totals">
      <div className="baseline-box">
        {baseline ? (
          <>
            <span className="muted" data-testid="baseline-label">Δ against {baseline.label}</span>
            <button data-testid="unpin-baseline" onClick={() => store.getState().unpinBaseline()}>Unpin</button>
          </>
        ) : (
          <button data-testid="pin-baseline" title="Keep this design to compare each later change against it" onClick={() => store.getState().pinBaseline()}>Pin as baseline</button>
        )}
      </div>
      {/* the count in the student's notes leads where batch-norm statistics make two (engine/param-headline.ts) */}
      {paramTotalLines(totals).map((l, i) => (
        <div key={l.count} className={`total-line${i === 0 ? ' headline' : ''}`}>
          <span data-testid={PARAM_TESTID[l.count]}>{l.text}</span>
          {l.count === 'total' && delta('total-params', d?.params)}
          {l.note && <span className="total-note muted" data-testid={`${PARAM_TESTID[l.count]}-note`}>{l.note}</span>}
        </div>
      ))}
      <div className="total-line"><span data-testid="total-macs">MACs: {formatInt(totals.macs)} ({formatCompact(totals.macs)})</span>{delta('total-macs', d?.macs)}</div>
      <div className="muted">{count} layers</div>
      <div className="memory" data-testid="memory">
        <label className="batch-field">
          Batch size{' '}
          <input data-testid="batch-size" value={batchText} inputMode="numeric" aria-invalid={!/^[1-9][0-9]*$/.test(batchText) || undefined}
            onChange={(e) => {
              setBatchText(e.target.value);
              const n = /^[0-9]+$/.test(e.target.value) ? Number(e.target.value) : NaN;
              store.getState().setBatch(n);
            }} />
          {!/^[1-9][0-9]*$/.test(batchText) && <span className="batch-issue" role="alert"> a whole number from 1; figures for {batch}</span>}
        </label>
        <div className="total-line"><span data-testid="memory-input" title="the input images, float32">Input: {formatBytes(memory.inputBytes)}</span>{delta('memory-input', dm?.inputBytes, true)}</div>
        <div className="total-line"><span data-testid="memory-params" title="4 bytes per weight, batch-norm statistics included (torchinfo's params size, in MB of 10^6 bytes)">Params: {formatBytes(memory.paramBytes)}</span>{delta('memory-params', dm?.paramBytes, true)}</div>
        <div className="total-line"><span data-testid="memory-forward-backward" title="torchinfo's forward/backward pass size: twice the outputs of the layers with weights">Forward/backward: {formatBytes(memory.forwardBackwardBytes)}</span>{delta('memory-forward-backward', dm?.forwardBackwardBytes, true)}</div>
        <div className="total-line"><span data-testid="memory-total" title="input + params + forward/backward (torchinfo's estimated total size)">Estimated total: {formatBytes(memory.estimatedTotalBytes)}</span>{delta('memory-total', dm?.estimatedTotalBytes, true)}</div>
        <div className="total-line"><span data-testid="memory-training" title="the estimated total plus a gradient and Adam's two moments per trainable weight">Training (Adam): {formatBytes(memory.trainingBytes)}</span>{delta('memory-training', dm?.trainingBytes, true)}</div>
        <MemoryPeak />
      </div>
      {errors > 0 ? (
        <button className="error-badge" data-testid="error-count" onClick={onShowErrors}>
          {errors} {errors === 1 ? 'error' : 'errors'}: totals leave out the layers that do not fit
        </button>
      ) : (
        <div className="ok-badge">Every layer fits</div>
      )}
    </div>
  );
}

const CHART_STATS: Exclude<Stat, 'none'>[] = ['params', 'macs', 'activations'];

interface ChartRow {
  key: string;
  label: string;
  /** a layer kind's category colours a layer's bar; groups have their own colour */
  category: string;
  value: number;
  /** the layers a click selects */
  ids: string[];
}

/**
 * Where the weights and the work are: one bar per layer in network order, or per group (each group's layers
 * summed; layers outside any group keep a bar of their own, so the bars still add up to the total).
 */
function BarChart() {
  const store = useEditorStore();
  const layers = useEditor((s) => s.analysis.nodes);
  const design = useEditor((s) => s.design);
  const selection = useEditor((s) => s.selection);
  const [stat, setStat] = useState<Exclude<Stat, 'none'>>('params');
  const [by, setBy] = useState<'layer' | 'group'>('layer');
  const hasGroups = (design.groups ?? []).length > 0;
  const rows: ChartRow[] = useMemo(() => {
    const byLayer = layers.map((r) => ({
      key: r.id, label: r.name ?? r.id, category: getLayerKind(r.kind)?.category ?? 'unknown', value: statValue(r, stat), ids: [r.id],
    }));
    if (by === 'layer' || !hasGroups) return byLayer;
    const groupOf = new Map(design.nodes.map((n) => [n.id, n.group]));
    const labels = new Map((design.groups ?? []).map((g) => [g.id, g.label ?? g.id]));
    const out: ChartRow[] = [];
    const seen = new Map<string, ChartRow>();
    for (const r of byLayer) {
      const g = groupOf.get(r.key);
      if (!g || !labels.has(g)) {
        out.push(r);
        continue;
      }
      const row = seen.get(g);
      if (row) {
        row.value += r.value;
        row.ids.push(r.key);
      } else {
        const fresh = { key: `group:${g}`, label: labels.get(g)!, category: 'group', value: r.value, ids: [r.key] };
        seen.set(g, fresh);
        out.push(fresh);
      }
    }
    return out;
  }, [layers, design, stat, by, hasGroups]);
  const max = rows.reduce((m, r) => Math.max(m, r.value), 0);
  const total = rows.reduce((m, r) => m + r.value, 0);
  const shown = rows.filter((r) => r.value > 0);
  const selected = new Set(selection);
  const unit = by === 'group' && hasGroups ? 'bars' : 'layers';
  return (
    <div className="chart" data-testid="bar-chart">
      <div className="chart-head">
        {CHART_STATS.map((k) => (
          <label key={k}>
            <input type="radio" name="chart-stat" checked={stat === k} onChange={() => setStat(k)} /> {STAT_LABEL[k]}
          </label>
        ))}
        <span className="sep" />
        <label title={hasGroups ? 'One bar per group; layers outside groups keep their own' : 'This design has no groups'}>
          <input type="radio" name="chart-by" checked={by === 'layer'} onChange={() => setBy('layer')} /> per layer
        </label>
        <label>
          <input type="radio" name="chart-by" data-testid="chart-by-group" checked={by === 'group'} disabled={!hasGroups} onChange={() => setBy('group')} /> per group
        </label>
        <span className="muted">{shown.length} of {rows.length} {unit} have any</span>
      </div>
      <div className="chart-rows">
        {shown.map((r) => (
          <button
            key={r.key}
            className={`chart-row${r.ids.some((id) => selected.has(id)) ? ' selected' : ''}${r.category === 'group' ? ' group' : ''}`}
            onClick={() => (r.ids.length === 1 ? store.getState().reveal(r.ids[0]) : store.getState().select(r.ids))}
          >
            <span className="chart-name" title={r.label}>{shortName(r.label, NAME_ROOM.chart)}{r.ids.length > 1 && <span className="muted"> · {r.ids.length} layers</span>}</span>
            <span className={`chart-track cat-${r.category}`}>
              <span className="chart-bar" style={{ width: `${max ? (100 * r.value) / max : 0}%` }} />
            </span>
            <span className="chart-value">{formatCompact(r.value)} <span className="muted">{total ? ((100 * r.value) / total).toFixed(1) : '0'}%</span></span>
          </button>
        ))}
      </div>
    </div>
  );
}
