import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, Controls, Panel, ReactFlow, applyNodeChanges, useReactFlow,
  type Connection, type Edge, type EdgeChange, type Node, type NodeChange, type NodeSelectionChange,
} from '@xyflow/react';
import { analyze, getLayerKind, type Design, type DesignNode } from '../../engine/index.ts';
import { GhostNode, ghostNumbers, type GhostData } from './GhostNode.tsx';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { NODE_HEIGHT, NODE_WIDTH } from '../../engine/layout/node-size.ts';
import { clearSpot, DROP_CLEARANCE } from '../../engine/layout/placement.ts';
import { setAllCollapsed } from '../../engine/groups.ts';
import type { BlockSettings } from '../../engine/blocks.ts';
import { PALETTE_MIME } from './palette-drag.ts';
import { LayerNode } from './LayerNode.tsx';
import { GroupFrame } from './GroupFrame.tsx';
import { computeFrames, type Frame } from '../../engine/layout/group-frames.ts';
import { BLOCK_MIME, paletteItem } from './Palette.tsx';
import { insertBlock } from './insert-block.ts';
import { ShapeEdge } from './ShapeEdge.tsx';
import { FrameHeads } from './FrameHeads.tsx';
import { CanvasMinimap, fitPadding, MINIMAP, useMinimapShown } from './CanvasMinimap.tsx';
import { openingView, OPENING_ZOOM } from './opening-view.ts';

const nodeTypes = { layer: LayerNode, frame: GroupFrame, ghost: GhostNode };
const edgeTypes = { shape: ShapeEdge };
const BIG_DESIGN = 120;

/** A layer's React Flow node carries only what React Flow and the minimap need; LayerNode reads the rest from the store. */
type LayerFlowNode = Node<{ kind: string }>;

const miniClass = (n: Node) => n.type === 'frame' ? 'mini-frame' : `mini cat-${getLayerKind((n.data as { kind?: string }).kind ?? '')?.category ?? 'unknown'}`;

/** One object for good: a fresh one on every render would make React Flow update its store on every edit. */
const DEFAULT_EDGE_OPTIONS = { type: 'shape' };

type FlowNode = LayerFlowNode | Node<{ frame: Frame; collapsed: boolean }> | Node<GhostData>;

const GHOST_STEP = 96;

/**
 * The layers an advised rewrite puts in place of the advised one, as ghost nodes in a column to its right,
 * with their numbers from the rewritten design's analysis.
 */
function ghostNodes(preview: { nodeId: string; added: string[]; rewritten: string[]; rewrite: Design | null } | null, nodes: DesignNode[]): Node<GhostData>[] {
  if (!preview?.rewrite) return [];
  const anchor = nodes.find((n) => n.id === preview.nodeId)?.position;
  if (!anchor) return [];
  const show = new Set([...preview.added, preview.nodeId, ...preview.rewritten]);
  const list = preview.rewrite.nodes.filter((n) => show.has(n.id));
  const results = new Map(analyze(preview.rewrite).nodes.map((r) => [r.id, r]));
  const top = anchor.y - ((list.length - 1) * GHOST_STEP) / 2;
  const bottom = top + (list.length - 1) * GHOST_STEP + GHOST_STEP;
  // a column beside the advised layer that no layer occupies: right, else left, else right of the crowd
  const near = nodes.filter((n) => n.position && n.id !== preview.nodeId && n.position.y < bottom && n.position.y + GHOST_STEP > top);
  const free = (x: number) => near.every((n) => n.position!.x + NODE_WIDTH + 20 <= x || n.position!.x >= x + NODE_WIDTH + 20);
  const right = anchor.x + NODE_WIDTH + 50;
  const left = anchor.x - NODE_WIDTH - 50;
  const x = free(right) ? right : free(left) ? left
    : Math.max(right, ...near.filter((n) => n.position!.x >= anchor.x).map((n) => n.position!.x + NODE_WIDTH + 50));
  return list.map((n, i) => {
    const r = results.get(n.id);
    return {
      id: `ghost:${n.id}`, type: 'ghost', position: { x, y: top + i * GHOST_STEP },
      data: { kind: n.kind, params: n.params, name: n.name ?? n.id, numbers: ghostNumbers(r?.params ?? 0, r?.receptiveField?.size ?? null) },
      selectable: false, draggable: false, connectable: false, focusable: false, zIndex: 5,
    };
  });
}

/**
 * Rebuilds React Flow nodes from the design, reusing every node object whose design node did not change:
 * group frames first (they sit behind), then the layers; members of a collapsed group are hidden.
 */
function syncNodes(prev: FlowNode[], nodes: DesignNode[], selection: string[], frames: Frame[], owner: Map<string, string>): FlowNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  const selected = new Set(selection);
  const next: FlowNode[] = [];
  for (const f of frames) {
    const p = old.get(f.id) as Node<{ frame: Frame; collapsed: boolean }> | undefined;
    const same = p && p.position.x === f.x && p.position.y === f.y && p.width === f.width && p.height === f.height && p.data.collapsed === f.collapsed;
    next.push(same ? p : {
      id: f.id, type: 'frame', position: { x: f.x, y: f.y }, width: f.width, height: f.height,
      data: { frame: f, collapsed: f.collapsed }, selectable: false, draggable: false, connectable: false, focusable: false,
      zIndex: f.collapsed ? 0 : -1, className: f.collapsed ? 'frame-collapsed' : 'frame-open',
    });
  }
  for (const dn of nodes) {
    const p = old.get(dn.id) as LayerFlowNode | undefined;
    const sel = selected.has(dn.id);
    const hidden = owner.has(dn.id);
    const x = dn.position?.x ?? 0;
    const y = dn.position?.y ?? 0;
    // a parameter or name edit keeps the flow node as it is: React Flow then has nothing to update
    if (p && p.data.kind === dn.kind && p.position.x === x && p.position.y === y && !!p.selected === sel && !!p.hidden === hidden) next.push(p);
    else next.push({ id: dn.id, type: 'layer', position: { x, y }, data: { kind: dn.kind }, selected: sel, hidden, ...(p?.measured ? { measured: p.measured } : {}) });
  }
  const changed = next.length !== prev.length || next.some((n, i) => n !== prev[i]);
  return changed ? next : prev;
}

export function Canvas({ onOpenFile }: { onOpenFile: (files: File[]) => void }) {
  const store = useEditorStore();
  const designNodes = useEditor((s) => s.design.nodes);
  const designEdges = useEditor((s) => s.design.edges);
  const selection = useEditor((s) => s.selection);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const fitSeq = useEditor((s) => s.fitSeq);
  const { screenToFlowPosition, fitView, getNodes, setViewport, getNodesBounds, setCenter, getZoom, getViewport } = useReactFlow();
  const wrapRef = useRef<HTMLDivElement>(null);
  const designGroups = useEditor((s) => s.design.groups);
  const { frames, owner } = useMemo(() => computeFrames({ nodes: designNodes, groups: designGroups } as Design), [designNodes, designGroups]);
  const [nodes, setNodes] = useState<FlowNode[]>(() => syncNodes([], designNodes, selection, frames, owner));
  const [dropHint, setDropHint] = useState(false);
  const preview = useEditor((s) => s.preview);
  const [ghosts, setGhosts] = useState<Node<GhostData>[]>([]);
  useEffect(() => setGhosts(ghostNodes(preview, designNodes)), [preview, designNodes]);
  // a new preview brings the advised layer and its ghosts into view
  useEffect(() => {
    const anchor = preview && designNodes.find((n) => n.id === preview.nodeId)?.position;
    const g = ghostNodes(preview, designNodes)[0];
    if (!anchor || !g) return;
    void setCenter((anchor.x + g.position.x) / 2 + NODE_WIDTH / 2, anchor.y + 37, { zoom: getZoom(), duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new preview moves the view
  }, [preview]);
  const shownNodes = useMemo(() => (ghosts.length ? [...nodes, ...ghosts] : nodes), [nodes, ghosts]);

  useEffect(() => {
    setNodes((prev) => syncNodes(prev, designNodes, selection, frames, owner));
  }, [designNodes, selection, frames, owner]);

  const edgesRef = useRef<Edge[]>([]);
  const edges = (() => {
    const sel = new Set(selectedEdges);
    const prev = new Map(edgesRef.current.map((e) => [e.id, e]));
    const next: Edge[] = [];
    const seen = new Set<string>();
    for (const e of designEdges) {
      // edges into or out of a collapsed group attach to its stand-in; edges inside it disappear
      const source = owner.get(e.source) ?? e.source;
      const target = owner.get(e.target) ?? e.target;
      if (source === target) continue;
      if (source !== e.source || target !== e.target) {
        // a collapsed group takes several edges from one place as one
        const key = `${source}->${target}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const id = e.id!; // the store gives every edge an id on load (withEdgeIds)
      const p = prev.get(id);
      if (p && p.source === source && p.target === target && !!p.selected === sel.has(id)) next.push(p);
      else next.push({ id, source, target, type: 'shape', selected: sel.has(id), data: { from: e.source, to: e.target } });
    }
    const same = next.length === edgesRef.current.length && next.every((e, i) => e === edgesRef.current[i]);
    if (!same) edgesRef.current = next;
    return edgesRef.current;
  })();

  const revealSeq = useEditor((s) => s.revealSeq);
  useEffect(() => {
    if (!revealSeq) return;
    const s = store.getState();
    const node = s.revealId ? s.nodesById[s.revealId] : undefined;
    // a layer inside a collapsed group is shown by its group's stand-in
    const standIn = node ? frames.find((f) => f.id === owner.get(node.id)) : undefined;
    const at = standIn ?? node?.position;
    if (at) void setCenter(at.x + NODE_WIDTH / 2, at.y + 37, { zoom: Math.max(getZoom(), 0.8), duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new reveal scrolls
  }, [revealSeq]);

  // What was just added comes into view: the canvas pans (zoom kept) when it is outside the visible part,
  // which leaves out the minimap's corner.
  const followSeq = useEditor((s) => s.followSeq);
  useEffect(() => {
    if (!followSeq) return;
    const s = store.getState();
    const boxes = s.followIds.map((id) => s.nodesById[id]?.position).filter((p): p is { x: number; y: number } => !!p);
    const box = wrapRef.current?.getBoundingClientRect();
    if (!boxes.length || !box) return;
    const x0 = Math.min(...boxes.map((p) => p.x)) - 20;
    const y0 = Math.min(...boxes.map((p) => p.y)) - 40;
    const x1 = Math.max(...boxes.map((p) => p.x)) + NODE_WIDTH + 20;
    const y1 = Math.max(...boxes.map((p) => p.y)) + NODE_HEIGHT + 20;
    const { x, y, zoom } = getViewport();
    const sx0 = x0 * zoom + x, sy0 = y0 * zoom + y, sx1 = x1 * zoom + x, sy1 = y1 * zoom + y;
    // the minimap covers the bottom-right corner: what would sit under it counts as out of view
    const mini = wrapRef.current?.querySelector('.react-flow__minimap')?.getBoundingClientRect();
    const m = mini ? { left: mini.left - box.left, top: mini.top - box.top } : null;
    const underMini = !!m && sx1 > m.left && sy1 > m.top;
    const view = { left: 0, top: 0, right: box.width, bottom: underMini && m ? m.top : box.height };
    if (sx0 >= view.left && sy0 >= view.top && sx1 <= view.right && sy1 <= view.bottom) return;
    // the smallest pan that brings it in (what it hangs from stays in view too); its top-left corner when
    // it is larger than the view
    const shift = (lo: number, hi: number, min: number, max: number) =>
      hi - lo > max - min || lo < min ? min - lo : hi > max ? max - hi : 0;
    const nx = x + shift(sx0, sx1, view.left, view.right);
    const ny = y + shift(sy0, sy1, view.top, view.bottom);
    void setViewport({ x: nx, y: ny, zoom }, { duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new follow pans
  }, [followSeq]);

  const [minimapShown, setMinimapShown] = useMinimapShown();
  /**
   * Fits what is shown once its nodes are measured (a fit before that sees no sizes), clear of the minimap; a
   * network too large to read fitted whole shows the part read first (opening-view.ts).
   */
  const fitShown = (duration: number) => {
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const ns = getNodes().filter((n) => !n.hidden);
      if (ns.length && ns.some((n) => !n.measured?.width) && tries++ < 60) {
        frame = requestAnimationFrame(attempt);
        return;
      }
      const box = wrapRef.current?.getBoundingClientRect();
      if (ns.length && box) {
        const b = getNodesBounds(ns);
        const room = box.width - (minimapShown ? MINIMAP.width + 28 : 0);
        const outline = (store.getState().design.groups ?? []).some((g) => g.collapsed);
        const view = openingView(b, box, room, outline);
        if (view.fit) void fitView({ padding: fitPadding(minimapShown), maxZoom: OPENING_ZOOM.max, duration });
        else void setViewport({ x: view.x, y: view.y, zoom: view.zoom }, { duration });
      }
      else void setViewport({ x: 80, y: 60, zoom: 1 });
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  };
  useEffect(() => fitShown(0),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new design asks for a fit
    [fitSeq]);

  // Selection has one owner, the store: a click or a selection box on the canvas arrives here as `select`
  // changes and goes to the store, and the flow nodes follow the store (syncNodes). Mirroring React Flow's
  // selection back through onSelectionChange instead made the two chase each other when the store moved on
  // (Find selects at every keystroke) before React Flow had reported the previous selection: a loop React
  // stops with "Maximum update depth exceeded".
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const isGhost = (c: NodeChange<FlowNode>) => 'id' in c && c.id.startsWith('ghost:');
      const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'select' && !isGhost(c));
      const ghostChanges = changes.filter((c) => c.type === 'dimensions' && isGhost(c));
      const picks = changes.filter((c): c is NodeSelectionChange => c.type === 'select' && !isGhost(c));
      if (kept.length) setNodes((prev) => applyNodeChanges(kept, prev));
      if (ghostChanges.length) setGhosts((prev) => applyNodeChanges(ghostChanges as NodeChange<Node<GhostData>>[], prev));
      if (picks.length) {
        const s = store.getState();
        const off = new Set(picks.filter((c) => !c.selected).map((c) => c.id));
        const next = s.selection.filter((id) => !off.has(id));
        // a set beside the list: a selection box over thousands of layers stays linear
        const kept = new Set(next);
        for (const c of picks) {
          if (c.selected && s.nodesById[c.id] && !kept.has(c.id)) {
            kept.add(c.id);
            next.push(c.id);
          }
        }
        s.select(next, s.selectedEdges);
      }
    },
    [store],
  );

  // edges are drawn from the store, so their selection goes through it too
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const s = store.getState();
      const selected = new Set(s.selectedEdges);
      let touched = false;
      for (const c of changes) {
        if (c.type !== 'select') continue;
        touched = true;
        if (c.selected) selected.add(c.id);
        else selected.delete(c.id);
      }
      if (touched) s.select(s.selection, [...selected]);
    },
    [store],
  );

  const onNodeDragStop = useCallback(
    (_: unknown, __: Node, dragged: Node[]) => {
      // Keyed by node id: no prototype, so ids like `constructor` or `__proto__` are plain keys.
      const moves: Record<string, { x: number; y: number }> = Object.create(null);
      const byId = store.getState().nodesById;
      let any = false;
      for (const n of dragged) {
        const p = byId[n.id]?.position;
        if (!p || Math.round(p.x) !== Math.round(n.position.x) || Math.round(p.y) !== Math.round(n.position.y)) {
          moves[n.id] = n.position;
          any = true;
        }
      }
      if (any) store.getState().moveNodes(moves);
    },
    [store],
  );

  const onConnect = useCallback((c: Connection) => {
    store.getState().connect(c.source, c.target);
  }, [store]);

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    const files = e.dataTransfer.types.includes('Files');
    e.dataTransfer.dropEffect = files ? 'copy' : 'copy';
    if (files) setDropHint(true);
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      setDropHint(false);
      const files = Array.from(e.dataTransfer.files ?? []);
      if (files.length) {
        onOpenFile(files);
        return;
      }
      const block = e.dataTransfer.getData(BLOCK_MIME);
      if (block) {
        try {
          const { key, times, settings } = JSON.parse(block) as { key: string; times: number; settings?: BlockSettings };
          const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
          insertBlock(store, key, times, { at: { x: p.x - NODE_WIDTH / 2, y: p.y - 30 } }, settings);
        } catch {
          // not ours
        }
        return;
      }
      const item = paletteItem(e.dataTransfer.getData(PALETTE_MIME));
      if (!item) return;
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const s = store.getState();
      s.addNode(item.kind, clearSpot(s.design, { x: p.x - NODE_WIDTH / 2, y: p.y - 30 }, { width: NODE_WIDTH, height: NODE_HEIGHT }, DROP_CLEARANCE), item.params, undefined, item.idBase);
    },
    [screenToFlowPosition, store, onOpenFile],
  );

  const big = designNodes.length > BIG_DESIGN;
  const hasGroups = (designGroups ?? []).length > 0;
  const allCollapsed = hasGroups && designGroups!.every((g) => g.collapsed);
  const noneCollapsed = !(designGroups ?? []).some((g) => g.collapsed);
  // one undo step; the view then fits what is shown
  const setAll = (collapsed: boolean) => {
    store.getState().edit((d) => setAllCollapsed(d, collapsed, { width: NODE_WIDTH, height: NODE_HEIGHT }));
    requestAnimationFrame(() => fitShown(200));
  };
  return (
    <div
      ref={wrapRef}
      className={`canvas${dropHint ? ' drop-hint' : ''}`}
      data-testid="canvas"
      onDragOver={onDragOver}
      onDragLeave={() => setDropHint(false)}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={shownNodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        deleteKeyCode={null}
        minZoom={0.05}
        maxZoom={2.5}
        onlyRenderVisibleElements={big}
        attributionPosition="top-right"
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
      >
        <Background gap={20} size={1} color="#dde1e7" />
        <CanvasMinimap shown={minimapShown} onShown={setMinimapShown} nodeClassName={miniClass} />
        <Controls showInteractive={false} />
        <FrameHeads frames={frames} />
        {hasGroups && (
          <Panel position="bottom-left" className="group-tools">
            <button data-testid="collapse-all" onClick={() => setAll(true)} disabled={allCollapsed} title="Show the outline: every group as one box">Collapse all</button>
            <button data-testid="expand-all" onClick={() => setAll(false)} disabled={noneCollapsed} title="Show every layer of every group">Expand all</button>
          </Panel>
        )}
      </ReactFlow>
      {designNodes.length === 0 && (
        <div className="canvas-empty">
          <strong>An empty canvas.</strong> Drag an <em>Input</em> from the palette to start, pick a preset, or drop a
          <code>.convas.json</code> file here.
        </div>
      )}
    </div>
  );
}
