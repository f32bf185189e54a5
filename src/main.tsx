import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/app.css';
import { App } from './ui/App.tsx';
import { EditorProvider } from './store/editor-context.tsx';
import { createEditorStore } from './store/editor-store.ts';
import { initialDesign, writeAutosave } from './store/design-io.ts';
import { showPresetLesson } from './store/lesson.ts';

async function start() {
  const { loaded, error, explicit, presetId } = await initialDesign();
  const store = createEditorStore(loaded.design, { issues: loaded.issues });
  if (presetId) showPresetLesson(store, presetId);
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
