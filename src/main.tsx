import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/app.css';
import { App } from './ui/App.tsx';
import { EditorProvider } from './store/editor-context.tsx';
import { createEditorStore } from './store/editor-store.ts';
import { initialDesign, writeAutosave } from './store/design-io.ts';
import { outlineIfBig } from './store/groups.ts';
import { NODE_HEIGHT, NODE_WIDTH } from './ui/auto-layout.ts';

async function start() {
  const { loaded, error, explicit } = await initialDesign();
  // a big network asked for by the address opens as its outline (the autosave opens as it was left)
  const store = createEditorStore(explicit ? outlineIfBig(loaded.design, { width: NODE_WIDTH, height: NODE_HEIGHT }) : loaded.design, { issues: loaded.issues });
  if (explicit || error) {
    // what the address asked for is now the working design: a reload should find it (and later edits) in
    // the autosave, not open the address again over them
    if (explicit) writeAutosave(loaded.design);
    history.replaceState(null, '', location.pathname);
  }
  if (error) store.getState().notify('error', `Could not open the requested design: ${error}`);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <EditorProvider store={store}>
        <App />
      </EditorProvider>
    </StrictMode>,
  );
}

void start();
