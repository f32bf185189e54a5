import { useCallback, useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { emptyDesign, type DesignNode, type Position } from '../core/index.ts';
import type { EditorState } from '../store/editor-store.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { linkFor, loadFile, loadPreset, writeAutosave } from '../store/design-io.ts';
import { showPresetLesson } from '../store/lesson.ts';
import { AdviceClient } from './advice/advice-client.ts';
import { autoLayout, NODE_HEIGHT } from './auto-layout.ts';
import { Canvas } from './Canvas.tsx';
import { download, exportFiles, type ExportFormat } from './export-actions.ts';
import type { PaletteItem } from './categories.ts';
import { Inspector } from './Inspector.tsx';
import { Palette } from './Palette.tsx';
import { SummaryPanel } from './SummaryPanel.tsx';
import { TopBar } from './TopBar.tsx';
import { useAutosave, useShortcuts } from './hooks.ts';
import { insertBlock } from './insert-block.ts';

export function App() {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}

function Editor() {
  const store = useEditorStore();
  const needsLayout = useEditor((s) => s.needsLayout);
  useShortcuts(store);
  useAutosave(store, writeAutosave);

  const [layingOut, setLayingOut] = useState(false);
  const runLayout = useCallback(
    async (record: boolean) => {
      const s = store.getState();
      const design = s.design;
      setLayingOut(true);
      try {
        const positions = await autoLayout(design);
        if (store.getState().design !== design) return; // edited meanwhile
        store.getState().setPositions(positions, { record });
      } catch (e) {
        store.getState().notify('error', `auto-layout failed: ${(e as Error).message}`);
      } finally {
        setLayingOut(false);
      }
    },
    [store],
  );

  useEffect(() => {
    if (needsLayout) void runLayout(false);
  }, [needsLayout, runLayout]);

  // Advice costs one whole analysis per candidate rewrite (seconds on a 10,000-layer design): a worker finds it
  // once edits settle, so typing never waits for it.
  const design = useEditor((s) => s.design);
  const [adviceClient] = useState(() => (typeof Worker === 'undefined' ? null : new AdviceClient()));
  useEffect(() => () => adviceClient?.stop(), [adviceClient]);
  useEffect(() => {
    if (store.getState().adviceFor === design) return;
    const t = setTimeout(() => {
      if (!adviceClient) {
        store.getState().refreshAdvice();
        return;
      }
      adviceClient.advise(design).then(
        (items) => { if (items) store.getState().setAdvice(design, items); },
        (e: Error) => store.getState().notify('error', `Advice failed: ${e.message}`),
      );
    }, 250);
    return () => clearTimeout(t);
  }, [design, store, adviceClient]);

  const openFile = useCallback(
    async (file: File) => {
      const r = await loadFile(file);
      if (!r.ok) {
        store.getState().notify('error', `Could not open the file: ${r.error}`);
        return;
      }
      store.getState().loadDesign(r.design, { issues: r.issues });
      store.getState().notify('info', `Opened ${file.name}`);
    },
    [store],
  );

  const openPreset = useCallback(
    async (id: string) => {
      const r = await loadPreset(id);
      if (!r.ok) store.getState().notify('error', r.error);
      else {
        store.getState().loadDesign(r.design, { issues: r.issues });
        store.getState().clearNotice();
        showPresetLesson(store, id);
      }
    },
    [store],
  );

  const addFromPalette = useCallback(
    (item: PaletteItem) => {
      const s = store.getState();
      const { anchor, at } = placeBelowSelection(s);
      const id = s.addNode(item.kind, at, item.params);
      if (id && anchor && item.kind !== 'input') s.connect(anchor.id, id);
    },
    [store],
  );

  const addBlock = useCallback(
    (key: string, times: number) => {
      const { anchor, at } = placeBelowSelection(store.getState());
      insertBlock(store, key, times, at, anchor?.id);
    },
    [store],
  );

  const [exporting, setExporting] = useState(false);
  const exportAs = useCallback(
    async (format: ExportFormat) => {
      const { design, analysis } = store.getState();
      setExporting(true);
      try {
        const files = await exportFiles(format, design, analysis);
        for (const f of files) download(f);
        if (format !== 'design') store.getState().notify('info', `Exported ${files.map((f) => f.name).join(' and ')}`);
      } catch (e) {
        store.getState().notify('error', `Export failed: ${(e as Error).message}`);
      } finally {
        setExporting(false);
      }
    },
    [store],
  );

  return (
    <div className="app">
      <TopBar
        onPreset={openPreset}
        onNew={() => store.getState().loadDesign(emptyDesign('Untitled'))}
        onOpenFile={openFile}
        onSave={() => void exportAs('design')}
        onExport={(f) => void exportAs(f)}
        exporting={exporting}
        onAutoLayout={() => void runLayout(true)}
        layingOut={layingOut}
        onCopyLink={async () => {
          const link = linkFor(store.getState().design);
          history.replaceState(null, '', link);
          try {
            await navigator.clipboard.writeText(link);
            store.getState().notify('info', 'Link copied: it holds the whole design.');
          } catch {
            store.getState().notify('info', 'The address bar now holds a link to this design.');
          }
        }}
        onUndo={() => store.getState().undo()}
        onRedo={() => store.getState().redo()}
      />
      <NoticeBar />
      <div className="workspace">
        <Palette onAdd={addFromPalette} onAddBlock={addBlock} />
        <main className="centre">
          <Canvas onOpenFile={openFile} />
        </main>
        <Inspector />
      </div>
      <SummaryPanel />
    </div>
  );
}

/**
 * Where a palette click puts a layer or block: below the last selected layer (which then feeds it), else below
 * the last layer of the design, else at the origin.
 */
function placeBelowSelection(s: EditorState): { anchor: DesignNode | undefined; at: Position } {
  const anchorId = s.selection[s.selection.length - 1];
  const anchor = anchorId ? s.nodesById[anchorId] : undefined;
  const base = anchor?.position ?? s.design.nodes[s.design.nodes.length - 1]?.position;
  return { anchor, at: base ? { x: base.x, y: base.y + NODE_HEIGHT + 50 } : { x: 0, y: 0 } };
}

function NoticeBar() {
  const notice = useEditor((s) => s.notice);
  const store = useEditorStore();
  useEffect(() => {
    if (!notice || notice.kind === 'error') return;
    const t = setTimeout(() => store.getState().clearNotice(), 4000);
    return () => clearTimeout(t);
  }, [notice, store]);
  if (!notice) return null;
  return (
    <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      <button aria-label="Dismiss" onClick={() => store.getState().clearNotice()}>×</button>
    </div>
  );
}
