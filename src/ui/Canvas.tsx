import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, applyNodeChanges, useReactFlow,
  type Connection, type Edge, type Node, type NodeChange, type OnSelectionChangeParams,
} from '@xyflow/react';
import { getLayerKind, type DesignNode } from '../core/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { NODE_WIDTH } from './auto-layout.ts';
import { PALETTE_MIME } from './categories.ts';
import { LayerNode } from './LayerNode.tsx';
import { BLOCK_MIME, paletteItem } from './Palette.tsx';
import { insertBlock } from './insert-block.ts';
import { ShapeEdge } from './ShapeEdge.tsx';

const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };
const BIG_DESIGN = 120;

type LayerFlowNode = Node<{ ref: DesignNode }>;

const miniClass = (n: Node) => `mini cat-${getLayerKind((n.data as { ref?: DesignNode }).ref?.kind ?? '')?.category ?? 'unknown'}`;

/** Rebuilds React Flow nodes from the design, reusing every node object whose design node did not change. */
function syncNodes(prev: LayerFlowNode[], nodes: DesignNode[], selection: string[]): LayerFlowNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  const selected = new Set(selection);
  let changed = prev.length !== nodes.length;
  const next = nodes.map((dn, i) => {
    const p = old.get(dn.id);
    const sel = selected.has(dn.id);
    if (p && p.data.ref === dn && !!p.selected === sel) {
      if (prev[i] !== p) changed = true;
      return p;
    }
    changed = true;
    return { id: dn.id, type: 'layer', position: dn.position ?? { x: 0, y: 0 }, data: { ref: dn }, selected: sel, ...(p?.measured ? { measured: p.measured } : {}) };
  });
  return changed ? next : prev;
}

export function Canvas({ onOpenFile }: { onOpenFile: (file: File) => void }) {
  const store = useEditorStore();
  const designNodes = useEditor((s) => s.design.nodes);
  const designEdges = useEditor((s) => s.design.edges);
  const selection = useEditor((s) => s.selection);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const fitSeq = useEditor((s) => s.fitSeq);
  const { screenToFlowPosition, fitView, getNodes, setViewport, getNodesBounds, setCenter, getZoom } = useReactFlow();
  const wrapRef = useRef<HTMLDivElement>(null);
  const [nodes, setNodes] = useState<LayerFlowNode[]>(() => syncNodes([], designNodes, selection));
  const [dropHint, setDropHint] = useState(false);

  useEffect(() => {
    setNodes((prev) => syncNodes(prev, designNodes, selection));
  }, [designNodes, selection]);

  const edgesRef = useRef<Edge[]>([]);
  const edges = (() => {
    const sel = new Set(selectedEdges);
    const prev = new Map(edgesRef.current.map((e) => [e.id, e]));
    const next = designEdges.map((e) => {
      const p = prev.get(e.id);
      if (p && p.source === e.source && p.target === e.target && !!p.selected === sel.has(e.id)) return p;
      return { id: e.id, source: e.source, target: e.target, type: 'shape', selected: sel.has(e.id) } as Edge;
    });
    const same = next.length === edgesRef.current.length && next.every((e, i) => e === edgesRef.current[i]);
    if (!same) edgesRef.current = next;
    return edgesRef.current;
  })();

  const revealSeq = useEditor((s) => s.revealSeq);
  useEffect(() => {
    if (!revealSeq) return;
    const s = store.getState();
    const node = s.revealId ? s.nodesById[s.revealId] : undefined;
    if (node?.position) void setCenter(node.position.x + NODE_WIDTH / 2, node.position.y + 37, { zoom: Math.max(getZoom(), 0.8), duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new reveal scrolls
  }, [revealSeq]);

  // Fit once the nodes of a newly loaded design have been measured (a fit before that sees no sizes).
  useEffect(() => {
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const ns = getNodes();
      if (ns.length && ns.some((n) => !n.measured?.width) && tries++ < 60) {
        frame = requestAnimationFrame(attempt);
        return;
      }
      const box = wrapRef.current?.getBoundingClientRect();
      if (ns.length && box) {
        const b = getNodesBounds(ns);
        const fit = Math.min(1.2, (box.width * 0.88) / b.width, (box.height * 0.88) / b.height);
        if (fit >= 0.45) void fitView({ padding: 0.12, maxZoom: 1.2, duration: 0 });
        else {
          // a tall network fitted whole is unreadable: show its top at a zoom where the labels read
          const zoom = Math.max(fit, 0.6);
          void setViewport({ x: box.width / 2 - (b.x + b.width / 2) * zoom, y: 24 - b.y * zoom, zoom });
        }
      }
      else void setViewport({ x: 80, y: 60, zoom: 1 });
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new design asks for a fit
  }, [fitSeq]);

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      const kept = changes.filter((c) => c.type !== 'remove');
      setNodes((prev) => applyNodeChanges(kept, prev));
    },
    [],
  );

  const onNodeDragStop = useCallback(
    (_: unknown, __: Node, dragged: Node[]) => {
      const moves: Record<string, { x: number; y: number }> = {};
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

  const onSelectionChange = useCallback(
    ({ nodes: ns, edges: es }: OnSelectionChangeParams) => {
      store.getState().select(ns.map((n) => n.id), es.map((e) => e.id));
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
      const file = e.dataTransfer.files?.[0];
      if (file) {
        onOpenFile(file);
        return;
      }
      const block = e.dataTransfer.getData(BLOCK_MIME);
      if (block) {
        try {
          const { key, times } = JSON.parse(block) as { key: string; times: number };
          const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
          insertBlock(store, key, times, { x: p.x - NODE_WIDTH / 2, y: p.y - 30 });
        } catch {
          // not ours
        }
        return;
      }
      const item = paletteItem(e.dataTransfer.getData(PALETTE_MIME));
      if (!item) return;
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      store.getState().addNode(item.kind, { x: p.x - NODE_WIDTH / 2, y: p.y - 30 }, item.params);
    },
    [screenToFlowPosition, store, onOpenFile],
  );

  const big = designNodes.length > BIG_DESIGN;
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
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        deleteKeyCode={null}
        minZoom={0.05}
        maxZoom={2.5}
        onlyRenderVisibleElements={big}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: 'shape' }}
      >
        <Background gap={20} size={1} color="#dde1e7" />
        <MiniMap pannable zoomable nodeClassName={miniClass} />
        <Controls showInteractive={false} />
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
