import { useEffect } from 'react';
import type { Design } from '../../engine/index.ts';
import type { EditorStore } from '../store/editor-store.ts';

/** Keys go to the field: text inputs, text areas, selects. A checkbox or radio takes no text, so Ctrl+Z after a tick undoes it. */
const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && ((t instanceof HTMLInputElement ? t.type !== 'checkbox' && t.type !== 'radio' : t.tagName === 'INPUT')
    || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);

/**
 * Undo (Ctrl+Z), redo (Ctrl+Shift+Z, Ctrl+Y), copy/paste/duplicate/select all (Ctrl+C/V/D/A), group/ungroup
 * (Ctrl+G, Ctrl+Shift+G), Delete; text fields keep their own keys.
 */
export function useShortcuts(store: EditorStore) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'f') {
        e.preventDefault();
        const find = document.getElementById('find-input') as HTMLInputElement | null;
        find?.focus();
        find?.select();
        return;
      }
      if (isTyping(e.target)) return;
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) store.getState().redo();
        else store.getState().undo();
      } else if (mod && key === 'c') {
        store.getState().copy();
      } else if (mod && key === 'v') {
        e.preventDefault();
        store.getState().paste();
      } else if (mod && key === 'd') {
        e.preventDefault();
        store.getState().duplicate();
      } else if (mod && key === 'a') {
        e.preventDefault();
        store.getState().selectAll();
      } else if (mod && key === 'g') {
        e.preventDefault();
        const st = store.getState();
        if (e.shiftKey) {
          const groups = new Set(st.selection.map((id) => st.nodesById[id]?.group).filter((g): g is string => !!g));
          for (const g of groups) store.getState().ungroup(g);
        } else st.groupSelection();
      } else if (mod && key === 'y') {
        e.preventDefault();
        store.getState().redo();
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        store.getState().removeSelected();
      } else if (e.key === 'Escape') {
        store.getState().select([]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

/** Saves the design to localStorage shortly after each change, and before the page goes away. */
export function useAutosave(store: EditorStore, write: (d: Design) => void) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: Design | null = null;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (pending) write(pending);
      pending = null;
    };
    const unsub = store.subscribe((s, prev) => {
      if (s.design === prev.design) return;
      pending = s.design;
      // a copied link in the address bar no longer matches the design once it is edited
      if (location.hash.startsWith('#design=')) history.replaceState(null, '', location.pathname + location.search);
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, 200);
    });
    window.addEventListener('pagehide', flush);
    return () => {
      flush();
      unsub();
      window.removeEventListener('pagehide', flush);
    };
  }, [store, write]);
}
