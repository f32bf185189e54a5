/**
 * The autosave, one draft per browser tab, in localStorage, so that no tab's work replaces another's:
 *
 * - `convas.draft.<tab>` holds a tab's design (JSON), `convas.draftinfo.<tab>` its name, layer count and time.
 *   The tab id lives in sessionStorage, so a reload finds its own draft again; a new tab starts from the newest
 *   draft and then writes its own.
 * - Opening a link or `?preset=` starts a fresh draft: the work it replaced stays listed (`list()`), to reopen.
 * - A write that the browser refuses (storage full, storage off) is reported as `failed` with the reason; the
 *   status never says saved when it is not, and the previous draft stays as it was.
 * - Another tab writing a draft fires a `storage` event here (`onStorage`): a tab whose own slot is written by
 *   another (a duplicated tab shares the session id) moves to a fresh id, so neither drops the other's work.
 *
 * This is the browser side only (localStorage, sessionStorage): the zustand store knows nothing of it.
 */

import type { Design } from '../../engine/index.ts';
import { readDesignTextGuarded, type Guarded } from './design-guard.ts';

export const DRAFT_PREFIX = 'convas.draft.';
export const DRAFT_INFO_PREFIX = 'convas.draftinfo.';
/** The single autosave slot of earlier versions, still read (as the draft of tab `v1`). */
export const LEGACY_AUTOSAVE_KEY = 'convas.autosave.v1';
const LEGACY_TAB = 'v1';
const TAB_KEY = 'convas.tab';

export interface DraftInfo {
  tab: string;
  /** ms since the epoch */
  savedAt: number;
  name: string;
  layers: number;
  /** the draft of this tab */
  mine: boolean;
}

export type SaveStatus =
  | { state: 'idle' }
  /** edited since the last write, which comes a moment later */
  | { state: 'pending' }
  | { state: 'saved'; at: number }
  | { state: 'failed'; reason: string; at: number };

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

function randomTabId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Why the browser refused a write, in words a person can act on. */
export function describeStorageError(e: unknown): string {
  const name = (e as { name?: string })?.name ?? '';
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (e as { code?: number })?.code === 22) {
    return "this browser's storage for Convas is full";
  }
  if (name === 'SecurityError') return 'this browser does not let Convas store anything (private mode or site data blocked)';
  return `the browser refused to store it (${(e as Error)?.message ?? String(e)})`;
}

export class Drafts {
  private _tab: string;
  private _status: SaveStatus = { state: 'idle' };
  private listeners = new Set<() => void>();
  /** the last text this tab wrote, to skip writing the same design twice */
  private lastText: string | null = null;

  /**
   * @param local where drafts live (null when the browser gives no storage: every save then fails, saying so)
   * @param session where this tab's id lives across reloads
   */
  constructor(private local: KeyValue | null, private session: KeyValue | null, private now: () => number = Date.now) {
    let tab: string | null;
    try {
      tab = session?.getItem(TAB_KEY) ?? null;
    } catch {
      tab = null;
    }
    this._tab = tab ?? this.newTab();
  }

  get tab(): string {
    return this._tab;
  }

  private newTab(): string {
    const id = randomTabId();
    try {
      this.session?.setItem(TAB_KEY, id);
    } catch {
      // without sessionStorage a reload opens the newest draft, which is this tab's as long as it edits last
    }
    return id;
  }

  /** Moves this tab to a fresh draft slot; its previous draft stays, listed, for the person to reopen. */
  startFresh(): void {
    this._tab = this.newTab();
    this.lastText = null;
  }

  /**
   * Before another design replaces this tab's (New, a preset, a file): when this tab has saved work, saves it
   * once more and moves the tab to a fresh draft, so that work stays listed after a reload. Returns whether it did.
   */
  keepCurrent(design: Design): boolean {
    if (this.lastText === null) return false;
    if (this.save(design).state !== 'saved') return false;
    this.startFresh();
    return true;
  }

  status(): SaveStatus {
    return this._status;
  }

  /** For React's useSyncExternalStore. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private setStatus(s: SaveStatus) {
    this._status = s;
    for (const fn of this.listeners) fn();
  }

  /** The design changed and its write is on its way: the status stops saying saved (a failure stays shown). */
  markPending(): void {
    if (this._status.state === 'saved' || this._status.state === 'idle') this.setStatus({ state: 'pending' });
  }

  /**
   * Writes the design as this tab's draft. Never throws: a refused write leaves the previous draft as it was
   * and sets the status to `failed` with the reason.
   */
  save(design: Design): SaveStatus {
    let text: string;
    try {
      text = JSON.stringify(design);
    } catch (e) {
      this.setStatus({ state: 'failed', reason: `the design could not be written out (${(e as Error).message})`, at: this.now() });
      return this._status;
    }
    if (text === this.lastText && this._status.state !== 'failed') {
      this.setStatus({ state: 'saved', at: this.now() });
      return this._status;
    }
    if (!this.local) {
      this.setStatus({ state: 'failed', reason: 'this browser gives Convas no storage', at: this.now() });
      return this._status;
    }
    const info = JSON.stringify({ savedAt: this.now(), name: design.name, layers: design.nodes.length });
    try {
      this.local.setItem(DRAFT_PREFIX + this._tab, text);
      this.local.setItem(DRAFT_INFO_PREFIX + this._tab, info);
    } catch (e) {
      this.setStatus({ state: 'failed', reason: describeStorageError(e), at: this.now() });
      return this._status;
    }
    this.lastText = text;
    this.setStatus({ state: 'saved', at: this.now() });
    return this._status;
  }

  private keys(): string[] {
    const out: string[] = [];
    try {
      if (!this.local) return out;
      for (let i = 0; i < this.local.length; i++) {
        const k = this.local.key(i);
        if (k) out.push(k);
      }
    } catch {
      // storage off: no drafts
    }
    return out;
  }

  private get(key: string): string | null {
    try {
      return this.local?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  /** Every draft in this browser, newest first (this tab's included, marked `mine`). */
  list(): DraftInfo[] {
    const out: DraftInfo[] = [];
    for (const k of this.keys()) {
      if (!k.startsWith(DRAFT_PREFIX)) continue;
      const tab = k.slice(DRAFT_PREFIX.length);
      let info: Partial<DraftInfo>;
      try {
        info = JSON.parse(this.get(DRAFT_INFO_PREFIX + tab) ?? '{}') ?? {};
      } catch {
        info = {};
      }
      out.push({
        tab,
        savedAt: typeof info.savedAt === 'number' ? info.savedAt : 0,
        name: typeof info.name === 'string' ? info.name : 'Untitled',
        layers: typeof info.layers === 'number' ? info.layers : 0,
        mine: tab === this._tab,
      });
    }
    if (this.get(LEGACY_AUTOSAVE_KEY) !== null) {
      const r = this.read(LEGACY_TAB);
      out.push({ tab: LEGACY_TAB, savedAt: 0, name: r?.ok ? r.design.name : 'Earlier autosave', layers: r?.ok ? r.design.nodes.length : 0, mine: false });
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  }

  /** A draft's design, read with the editor's limits; null when there is no such draft. */
  read(tab: string): Guarded | null {
    const text = this.get(tab === LEGACY_TAB ? LEGACY_AUTOSAVE_KEY : DRAFT_PREFIX + tab);
    if (text === null) return null;
    return readDesignTextGuarded(text);
  }

  /** Deletes a draft (the person asked to). */
  remove(tab: string): void {
    try {
      if (tab === LEGACY_TAB) this.local?.removeItem(LEGACY_AUTOSAVE_KEY);
      else {
        this.local?.removeItem(DRAFT_PREFIX + tab);
        this.local?.removeItem(DRAFT_INFO_PREFIX + tab);
      }
    } catch {
      // nothing to remove
    }
    if (tab === this._tab) this.lastText = null;
  }

  /**
   * What a tab opens when the address names nothing: its own draft (a reload), else the newest draft of any
   * tab. A draft that cannot be read is skipped (it stays stored, listed) and its reason returned.
   */
  initial(): { tab: string; loaded: Extract<Guarded, { ok: true }> } | { tab: null; error?: string } {
    let error: string | undefined;
    const order = this.list().sort((a, b) => Number(b.mine) - Number(a.mine));
    for (const d of order) {
      const r = this.read(d.tab);
      if (r?.ok) return { tab: d.tab, loaded: r };
      if (r && !r.ok) error ??= `the autosaved design "${d.name}": ${r.error}`;
    }
    return { tab: null, error };
  }

  /**
   * Handles another tab's write (a `storage` event): `'shared'` when another tab wrote this tab's own slot
   * (this tab then moves to a fresh slot, and the caller saves its design there), `'other'` for another tab's
   * draft, null for anything else.
   */
  onStorage(key: string | null): 'shared' | 'other' | null {
    if (!key || !key.startsWith(DRAFT_PREFIX)) return null;
    if (key === DRAFT_PREFIX + this._tab) {
      this.startFresh();
      return 'shared';
    }
    return 'other';
  }
}

let browser: Drafts | null = null;
/** This page's drafts, on the browser's localStorage and sessionStorage (either may be missing or refused). */
export function browserDrafts(): Drafts {
  if (browser) return browser;
  const pick = (name: 'localStorage' | 'sessionStorage'): KeyValue | null => {
    try {
      return globalThis[name] ?? null;
    } catch {
      return null;
    }
  };
  return (browser = new Drafts(pick('localStorage'), pick('sessionStorage')));
}
