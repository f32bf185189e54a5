import { rfSizeText } from './rf-text.ts';
import { RunPanel } from './run/RunPanel.tsx';
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  formatCompact, formatInt, formatPair, formatShape, formatWeightBytes, getLayerKind,
  type AnalysisError, type NodeAnalysis,
} from '../core/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { statValue, type Stat } from '../store/editor-store.ts';
import { STAT_LABEL } from './stats.ts';

type SortKey = 'order' | 'name' | 'kind' | 'shape' | 'params' | 'macs' | 'rf';
type Tab = 'layers' | 'chart' | 'errors' | 'run';

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Layer' },
  { key: 'kind', label: 'Kind' },
  { key: 'shape', label: 'Output shape' },
  { key: 'params', label: 'Params', numeric: true },
  { key: 'macs', label: 'MACs', numeric: true },
  { key: 'rf', label: 'RF', numeric: true },
];

function sortValue(r: NodeAnalysis, key: SortKey): number | string {
  switch (key) {
    case 'name': return (r.name ?? r.id).toLowerCase();
    case 'kind': return r.kind;
    case 'shape': return r.outputShape ? r.outputShape.reduce((a, b) => a * b, 1) : -1;
    case 'params': return r.params;
    case 'macs': return r.macs;
    case 'rf': return r.receptiveField ? r.receptiveField.size[0] * r.receptiveField.size[1] : -1;
    default: return 0;
  }
}

/** The bottom panel: a Keras-like table with group subtotals, the error list, and a slot for the Run panel. */
export function SummaryPanel() {
  const [tab, setTab] = useState<Tab>('layers');
  const errors = useEditor((s) => s.analysis.errors);
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
          <button role="tab" aria-selected={tab === 'run'} onClick={() => setTab('run')}>Run</button>
        </div>
        <div className="tab-body" hidden={tab !== 'layers'}><LayerTable /></div>
        <div className="tab-body" hidden={tab !== 'chart'}>{tab === 'chart' && <BarChart />}</div>
        <div className="tab-body" hidden={tab !== 'errors'}><ErrorList errors={errors} /></div>
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
  const nodeGroups = useEditor(useShallow((s) => s.design.nodes.map((n) => n.group ?? '')));
  const selection = useEditor((s) => s.selection);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'order', desc: false });

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

  if (!rows.length) return <p className="muted pad">No layers yet.</p>;
  return (
    <div className="table-wrap">
      <table className="summary-table" data-testid="summary-table">
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
          </tr>
        </thead>
        <tbody>
          {body.map((row) =>
            row.type === 'group' ? (
              <tr key={`g-${row.id}`} className="group-row">
                <td colSpan={3}>{row.label}</td>
                <td className="num">{formatInt(row.params)}</td>
                <td className="num">{formatCompact(row.macs)}</td>
                <td />
              </tr>
            ) : (
              <tr
                key={row.r.id}
                className={`${selected.has(row.r.id) ? 'selected' : ''}${row.r.error ? ' error' : ''}`}
                data-testid={`row-${row.r.id}`}
                onClick={() => store.getState().reveal(row.r.id)}
              >
                <td className={`cat-${getLayerKind(row.r.kind)?.category ?? 'unknown'}`}><span className="swatch" />{row.r.name ?? row.r.id}</td>
                <td>{row.r.kind}</td>
                <td>{formatShape(row.r.outputShape)}</td>
                <td className="num">{row.r.outputShape ? formatInt(row.r.params) : '?'}</td>
                <td className="num">{row.r.outputShape ? formatInt(row.r.macs) : '?'}</td>
                <td className="num">{rfSizeText(row.r)}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function ErrorList({ errors }: { errors: AnalysisError[] }) {
  const store = useEditorStore();
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
            {e.message}
          </button>
        </li>
      ))}
    </ul>
  );
}

function Totals({ onShowErrors }: { onShowErrors: () => void }) {
  const totals = useEditor((s) => s.analysis.totals);
  const errors = useEditor((s) => s.analysis.errors.length);
  const count = useEditor((s) => s.design.nodes.length);
  return (
    <div className="totals" data-testid="totals">
      <div data-testid="total-params">Total params: {formatInt(totals.params)} ({formatWeightBytes(totals.params)})</div>
      <div data-testid="trainable-params">Trainable params: {formatInt(totals.trainableParams)} ({formatWeightBytes(totals.trainableParams)})</div>
      <div data-testid="nontrainable-params">Non-trainable params: {formatInt(totals.nonTrainableParams)} ({formatWeightBytes(totals.nonTrainableParams)})</div>
      <div data-testid="total-macs">MACs: {formatInt(totals.macs)} ({formatCompact(totals.macs)})</div>
      <div className="muted">{count} layers</div>
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

/** Where the weights and the work are: one bar per layer, in network order. */
function BarChart() {
  const store = useEditorStore();
  const rows = useEditor((s) => s.analysis.nodes);
  const selection = useEditor((s) => s.selection);
  const [stat, setStat] = useState<Exclude<Stat, 'none'>>('params');
  const max = rows.reduce((m, r) => Math.max(m, statValue(r, stat)), 0);
  const total = rows.reduce((m, r) => m + statValue(r, stat), 0);
  const shown = rows.filter((r) => statValue(r, stat) > 0);
  const selected = new Set(selection);
  return (
    <div className="chart" data-testid="bar-chart">
      <div className="chart-head">
        {CHART_STATS.map((k) => (
          <label key={k}>
            <input type="radio" name="chart-stat" checked={stat === k} onChange={() => setStat(k)} /> {STAT_LABEL[k]}
          </label>
        ))}
        <span className="muted">{shown.length} of {rows.length} layers have any</span>
      </div>
      <div className="chart-rows">
        {shown.map((r) => {
          const v = statValue(r, stat);
          return (
            <button key={r.id} className={`chart-row${selected.has(r.id) ? ' selected' : ''}`} onClick={() => store.getState().reveal(r.id)}>
              <span className="chart-name">{r.name ?? r.id}</span>
              <span className={`chart-track cat-${getLayerKind(r.kind)?.category ?? 'unknown'}`}>
                <span className="chart-bar" style={{ width: `${max ? (100 * v) / max : 0}%` }} />
              </span>
              <span className="chart-value">{formatCompact(v)} <span className="muted">{total ? ((100 * v) / total).toFixed(1) : '0'}%</span></span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
