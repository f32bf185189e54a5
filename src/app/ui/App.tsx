import { useCallback, useEffect, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { emptyDesign } from '../../engine/index.ts';
import { useEditor, useEditorStore } from '../store/editor-context.tsx';
import { fromHash, linkFor, loadPreset } from '../io/design-io.ts';
import { browserDrafts, type DraftInfo } from '../io/drafts.ts';
import { openFileOffThread, type OpenJob, type OpenStage } from '../io/open-client.ts';
import { outlineIfBig } from '../../engine/groups.ts';
import { showPresetLesson } from '../store/lesson.ts';
import { AdviceClient } from './advice/advice-client.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../../engine/layout/node-size.ts';
import { autoLayout } from './auto-layout.ts';
import { placeBelowSelection } from '../../engine/layout/placement.ts';
import type { BlockSettings } from '../../engine/blocks.ts';

const NODE_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };
import { Canvas } from './Canvas.tsx';
import { download, exportFiles, type ExportFormat } from './export-actions.ts';
import type { PaletteItem } from '../../kinds/categories.ts';
import { Inspector } from './Inspector.tsx';
import { Palette } from './Palette.tsx';
import { SummaryPanel } from './SummaryPanel.tsx';
import { TopBar } from './TopBar.tsx';
import { useAutosave, useShortcuts } from './hooks.ts';
import { insertBlock } from './insert-block.ts';
import { OpeningBar, PreviousWorkBar, SaveFailedBar } from './WorkSafety.tsx';
import { ImportRefusals, type Refused } from './ImportRefusals.tsx';
import { openedWithWeights } from './trained-weights-text.ts';
import { takeModelWeights } from './run/model-weights.ts';
import { primaryFile } from '../io/model-weights-open.ts';
import { PanelSplitter } from './PanelSplitter.tsx';

/** The editor; `previous` is the work a link opened over at start (kept as a draft, offered back). */
export function App({ previous }: { previous?: DraftInfo } = {}) {
  return (
    <ReactFlowProvider>
      <Editor previous={previous} />
    </ReactFlowProvider>
  );
}

const saveDraft = (d: Parameters<ReturnType<typeof browserDrafts>['save']>[0]) => void browserDrafts().save(d);

function Editor({ previous: initialPrevious }: { previous?: DraftInfo }) {
  const store = useEditorStore();
  const needsLayout = useEditor((s) => s.needsLayout);
  useShortcuts(store);
  useAutosave(store, saveDraft);
  useOtherTabs(store);
  const [previous, setPreviousState] = useState(initialPrevious);
  // each time a link opens over work, its bar is told afresh (a new key), even for the same draft
  const [previousSeq, setPreviousSeq] = useState(0);
  const setPrevious = useCallback((d: DraftInfo | undefined) => {
    setPreviousState(d);
    setPreviousSeq((n) => n + 1);
  }, []);
  useLinkInAddressBar(store, setPrevious);

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

  // Files open in a worker (read, parse, limits, one analysis), with progress and Cancel.
  const [opening, setOpening] = useState<{ name: string; bytes: number; stage: OpenStage; fraction?: number } | null>(null);
  const openJob = useRef<OpenJob | null>(null);
  // what the last imported model held that Convas cannot express, one line per node (the open design stays)
  const [refused, setRefused] = useState<Refused | null>(null);

  // Advice analyses each candidate rewrite on the layers it changes (under a second on a 10,000-layer design, still
  // more than a keystroke may take): a worker finds it once edits settle, so typing never waits for it.
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
    async (file: File, companions: File[] = []) => {
      openJob.current?.cancel();
      const job = openFileOffThread(file, (stage, fraction) => {
        if (openJob.current === job) setOpening({ name: file.name, bytes: file.size, stage, fraction });
      }, companions);
      openJob.current = job;
      setRefused(null);
      setOpening({ name: file.name, bytes: file.size, stage: 'reading' });
      const r = await job.result;
      if (openJob.current !== job) return;
      openJob.current = null;
      setOpening(null);
      if (!r) return store.getState().notify('info', `Stopped opening ${file.name}; the design is as it was`);
      if (!r.ok && r.refusals) return setRefused({ file: file.name, lines: r.refusals });
      if (!r.ok) return store.getState().notify('error', `Could not open the file: ${r.error}`);
      try {
        browserDrafts().keepCurrent(store.getState().design);
        store.getState().loadDesign(outlineIfBig(r.design, NODE_SIZE), { issues: r.issues });
        if (r.weights) store.getState().setTrainedWeights(r.weights);
        store.getState().notify('info', r.weights ? openedWithWeights(r.weights) : `Opened ${file.name}`);
        if (r.modelWeights) void takeModelWeights(store, r.modelWeights);
      } catch (e) {
        store.getState().notify('error', `Could not open the file: ${file.name}: ${(e as Error).message}`);
      }
    },
    [store],
  );

  const openPreset = useCallback(
    async (id: string) => {
      const r = await loadPreset(id);
      if (!r.ok) store.getState().notify('error', r.error);
      else {
        browserDrafts().keepCurrent(store.getState().design);
        store.getState().loadDesign(outlineIfBig(r.design, NODE_SIZE), { issues: r.issues });
        store.getState().clearNotice();
        showPresetLesson(store, id);
      }
    },
    [store],
  );

  const addFromPalette = useCallback(
    (item: PaletteItem) => {
      const s = store.getState();
      const { anchor, at } = placeBelowSelection(s.design, s.selection);
      const id = s.addNode(item.kind, at, item.params, anchor?.id, item.idBase);
      // the view follows a layer put where the person did not point (a drop is where they look already)
      if (id) s.follow([id]);
    },
    [store],
  );

  const addBlock = useCallback(
    (key: string, times: number, settings: BlockSettings) => {
      insertBlock(store, key, times, 'below-selection', settings);
    },
    [store],
  );

  const [exporting, setExporting] = useState(false);
  const exportAs = useCallback(
    async (format: ExportFormat) => {
      const { design, analysis, trained, weightsInUse } = store.getState();
      setExporting(true);
      try {
        const weights = trained && weightsInUse?.size ? { source: trained.source, byNode: weightsInUse } : null;
        const files = await exportFiles(format, design, analysis, weights);
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
        onNew={() => {
          browserDrafts().keepCurrent(store.getState().design);
          store.getState().loadDesign(emptyDesign('Untitled'));
        }}
        onOpenFile={(files) => {
          const picked = primaryFile(files);
          if (picked) void openFile(picked.file, picked.companions);
        }}
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
      <ImportRefusals refused={refused} onDismiss={() => setRefused(null)} />
      <SaveFailedBar onSave={() => void exportAs('design')} />
      <OpeningBar opening={opening} onCancel={() => {
        const job = openJob.current;
        openJob.current = null;
        setOpening(null);
        job?.cancel();
        store.getState().notify('info', 'Stopped opening the file; the design is as it was');
      }} />
      <PreviousWorkBar key={`${previous?.tab ?? ''}:${previousSeq}`} previous={previous} />
      <div className="workspace">
        <Palette onAdd={addFromPalette} onAddBlock={addBlock} />
        <main className="centre">
          <Canvas onOpenFile={(files) => {
            const picked = primaryFile(files);
            if (picked) void openFile(picked.file, picked.companions);
          }} />
        </main>
        <Inspector />
      </div>
      <PanelSplitter />
      <SummaryPanel />
    </div>
  );
}

/**
 * Another tab's autosave: each tab keeps its own draft; a tab whose slot another tab wrote (a duplicated tab
 * shares its id) moves to a fresh one and saves there, so neither replaces the other's work.
 */
function useOtherTabs(store: ReturnType<typeof useEditorStore>) {
  useEffect(() => {
    let told = false;
    const onStorage = (e: StorageEvent) => {
      const drafts = browserDrafts();
      const what = drafts.onStorage(e.key);
      if (what === 'shared') {
        drafts.save(store.getState().design);
        store.getState().notify('info', 'Another tab was saving over this tab\'s draft: this tab now saves its own. Both designs are kept (Drafts).');
      } else if (what === 'other' && !told) {
        told = true;
        store.getState().notify('info', 'Another tab is editing too. Each tab autosaves its own draft: nothing is replaced (Drafts lists them).');
      }
    };
    window.addEventListener('storage', onStorage);
    // the Drafts button stops saying "Saved" from the edit until its write
    const unsub = store.subscribe((s, prev) => {
      if (s.design !== prev.design) browserDrafts().markPending();
    });
    return () => {
      window.removeEventListener('storage', onStorage);
      unsub();
    };
  }, [store]);
}

/**
 * A `#design=` link pasted into this tab's address bar (the page does not reload): the current work is saved
 * and kept as its own draft, the link's design opens (one undo step), and the bar offers the work back.
 */
function useLinkInAddressBar(store: ReturnType<typeof useEditorStore>, setPrevious: (d: DraftInfo | undefined) => void) {
  useEffect(() => {
    const onHash = () => {
      const r = fromHash(location.hash);
      if (!r) return;
      history.replaceState(null, '', location.pathname + location.search);
      if (!r.ok) return store.getState().notify('error', `Could not open the link: ${r.error}`);
      const drafts = browserDrafts();
      const saved = drafts.save(store.getState().design);
      const mine = saved.state === 'saved' ? drafts.list().find((d) => d.mine) : undefined;
      drafts.startFresh();
      try {
        store.getState().loadDesign(outlineIfBig(r.design, NODE_SIZE), { issues: r.issues });
      } catch (e) {
        return store.getState().notify('error', `Could not open the link: ${(e as Error).message}`);
      }
      setPrevious(mine);
      if (!mine) store.getState().notify('info', 'Opened the design from the link; Undo brings your previous design back');
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [store, setPrevious]);
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
