import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/app.css';
import { App } from './ui/App.tsx';
import { installCategoryColours } from './ui/category-colours.ts';
import { EditorProvider } from './store/editor-context.tsx';
import { createEditorStore } from './store/editor-store.ts';
import { emptyDesign } from '../engine/index.ts';
import { initialDesign, type Startup } from './io/design-io.ts';
import { browserDrafts } from './io/drafts.ts';
import { outlineIfBig } from '../engine/groups.ts';
import { showPresetLesson } from './store/lesson.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../engine/layout/node-size.ts';

/**
 * Starts the editor whatever the address or the autosave holds: anything that cannot be opened (a crafted
 * link, a design the analysis cannot take) leaves an empty design and a notice saying why, never a blank page.
 */
async function start() {
  const drafts = browserDrafts();
  let startup: Startup;
  try {
    startup = await initialDesign(drafts);
  } catch (e) {
    startup = { loaded: { ok: true, design: emptyDesign('Untitled'), issues: [] }, error: (e as Error).message };
  }
  let { error } = startup;
  let store;
  try {
    // a big network asked for by the address opens as its outline (a draft opens as it was left)
    const design = startup.explicit ? outlineIfBig(startup.loaded.design, { width: NODE_WIDTH, height: NODE_HEIGHT }) : startup.loaded.design;
    store = createEditorStore(design, { issues: startup.loaded.issues });
    if (startup.presetId) showPresetLesson(store, startup.presetId);
  } catch (e) {
    error = `the editor could not analyse it (${(e as Error).message})`;
    startup = { loaded: { ok: true, design: emptyDesign('Untitled'), issues: [] }, previous: startup.previous };
    store = createEditorStore(startup.loaded.design);
  }
  if (startup.explicit || error) {
    // what the address asked for is now the working design, in this tab's fresh draft: a reload finds it
    // (and later edits) there, rather than opening the address again over them
    if (startup.explicit) drafts.save(store.getState().design);
    history.replaceState(null, '', location.pathname);
  }
  if (error) store.getState().notify('error', `Could not open the requested design: ${error}`);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <EditorProvider store={store}>
        <App previous={startup.previous} />
      </EditorProvider>
    </StrictMode>,
  );
}

installCategoryColours(document);
void start();
