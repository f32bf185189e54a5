// Issue 15, "never lose a person's work": hostile links, huge or deep designs, a full storage quota, two tabs.
import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { emptyDesign, type Design } from '../../engine/index.ts';
import { jsonDepth, MAX_EDITOR_LAYERS, MAX_FILE_BYTES, MAX_JSON_DEPTH, readDesignTextGuarded } from './design-guard.ts';
import { loadFile } from './design-io.ts';
import { DRAFT_PREFIX, Drafts, LEGACY_AUTOSAVE_KEY } from './drafts.ts';
import { decompressLinkPayload } from './link-payload.ts';
import { lzBomb } from '../../../test/support/lz-bomb.ts';

/** An in-memory Storage with a quota in characters (keys + values), throwing as browsers do when full. */
class MemoryStorage {
  map = new Map<string, string>();
  constructor(public quota = Infinity) {}
  get length() { return this.map.size; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  getItem(k: string) { return this.map.get(k) ?? null; }
  removeItem(k: string) { this.map.delete(k); }
  setItem(k: string, v: string) {
    let used = 0;
    for (const [kk, vv] of this.map) if (kk !== k) used += kk.length + vv.length;
    if (used + k.length + v.length > this.quota) {
      throw Object.assign(new Error("Failed to execute 'setItem' on 'Storage': exceeded the quota."), { name: 'QuotaExceededError', code: 22 });
    }
    this.map.set(k, v);
  }
}

const chain = (name: string, n: number): Design => ({
  ...emptyDesign(name),
  nodes: [{ id: 'in', kind: 'input', params: { shape: [8, 8, 3] } }, ...Array.from({ length: n - 1 }, (_, i) => ({ id: `r${i}`, kind: 'activation', params: { fn: 'relu' } }))],
  edges: Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, source: i ? `r${i - 1}` : 'in', target: `r${i}` })),
});

describe('link payloads: the capped decoder', () => {
  it('decodes exactly what lz-string (the reference) decodes, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
      const packed = LZString.compressToEncodedURIComponent(text);
      const r = decompressLinkPayload(packed, 1e6);
      expect(r).toEqual({ ok: true, text: LZString.decompressFromEncodedURIComponent(packed) });
    }), { numRuns: 300 });
  });

  it('decodes a real design link', () => {
    const text = JSON.stringify(chain('linked', 40));
    expect(decompressLinkPayload(LZString.compressToEncodedURIComponent(text), 1e6)).toEqual({ ok: true, text });
  });

  it('refuses a bomb of a few kilobytes that expands to 1.8 billion characters, without expanding it', () => {
    const { payload, expandedChars } = lzBomb(60_000);
    expect(payload.length).toBeLessThan(200_000);
    expect(expandedChars).toBeGreaterThan(1.8e9);
    const t = performance.now();
    expect(decompressLinkPayload(payload, 8 * 1024 * 1024)).toEqual({ ok: false, reason: 'too-large', maxChars: 8 * 1024 * 1024 });
    expect(performance.now() - t).toBeLessThan(2000);
    // the bomb is a valid stream: lz-string itself expands a small one to "a", "aa", "aaa", …
    const small = lzBomb(30);
    expect(LZString.decompressFromEncodedURIComponent(small.payload)).toHaveLength(small.expandedChars);
    expect(decompressLinkPayload(small.payload, 1e6)).toEqual({ ok: true, text: 'a'.repeat(small.expandedChars) });
  });

  it('calls a truncated or garbled payload damaged', () => {
    const packed = LZString.compressToEncodedURIComponent(JSON.stringify(chain('x', 5)));
    expect(decompressLinkPayload(packed.slice(0, 20), 1e6)).toEqual({ ok: false, reason: 'damaged' });
    expect(decompressLinkPayload('', 1e6)).toEqual({ ok: false, reason: 'damaged' });
  });
});

describe('design limits', () => {
  it('measures nesting depth without recursion, ignoring brackets in strings', () => {
    expect(jsonDepth('{"a":[[1]],"b":"[[[[{"}')).toBe(3);
    expect(jsonDepth('{"a":"\\"[["}')).toBe(1);
    expect(jsonDepth('[' .repeat(200_000) + ']'.repeat(200_000))).toBe(200_000);
  });

  it('refuses a 100k-deep nested shape with its reason, and never throws', () => {
    const text = `{"format":"convas.design","version":1,"name":"x","nodes":[{"id":"in","kind":"input","params":{"shape":${'['.repeat(100_000)}1${']'.repeat(100_000)}}}],"edges":[]}`;
    expect(readDesignTextGuarded(text)).toEqual({ ok: false, error: `it nests values more than ${MAX_JSON_DEPTH} levels deep; no design does, so it was not read` });
  });

  it('refuses a design above the layer limit and reads one at it', () => {
    expect(readDesignTextGuarded(JSON.stringify(chain('big', MAX_EDITOR_LAYERS + 1)))).toEqual({
      ok: false, error: 'it has 5,001 layers; the editor opens designs up to 5,000 layers (use `convas summary` for larger ones)',
    });
    const r = readDesignTextGuarded(JSON.stringify(chain('fits', MAX_EDITOR_LAYERS)));
    expect(r.ok && r.design.nodes.length).toBe(MAX_EDITOR_LAYERS);
  });
});

describe('opening files within the limits', () => {
  it('refuses a file over the size limit before reading it, and a 100k-deep one with its reason', async () => {
    const huge = new File([new Uint8Array(MAX_FILE_BYTES + 1)], 'huge.convas.json');
    let read = false;
    Object.defineProperty(huge, 'text', { value: () => { read = true; return Promise.resolve(''); } });
    expect(await loadFile(huge)).toEqual({ ok: false, error: 'huge.convas.json is 32.0 MB; the editor opens files up to 32 MB' });
    expect(read).toBe(false);
    const deep = new File([`{"format":"convas.design","version":1,"nodes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`], 'deep.json');
    expect(await loadFile(deep)).toEqual({ ok: false, error: `deep.json: it nests values more than ${MAX_JSON_DEPTH} levels deep; no design does, so it was not read` });
  });

  it('reads a file in chunks and tells the fraction read', async () => {
    const text = JSON.stringify(chain('chunked', 3000));
    const seen: number[] = [];
    const r = await loadFile(new File([text], 'chunked.json'), (f) => seen.push(f));
    expect(r.ok && r.design.nodes.length).toBe(3000);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
  });
});

describe('drafts: the autosave, one per tab', () => {
  it('a full quota is reported as failed, the previous draft kept, and never as saved', () => {
    const local = new MemoryStorage(4000);
    const drafts = new Drafts(local, new MemoryStorage());
    expect(drafts.save(chain('small', 3)).state).toBe('saved');
    drafts.markPending();
    expect(drafts.status().state).toBe('pending');
    const before = local.getItem(DRAFT_PREFIX + drafts.tab);
    const s = drafts.save(chain('grown', 60));
    expect(s).toMatchObject({ state: 'failed', reason: "this browser's storage for Convas is full" });
    expect(drafts.status().state).toBe('failed');
    expect(local.getItem(DRAFT_PREFIX + drafts.tab)).toBe(before);
    // room again (the person deleted something): the next save says saved and holds the design
    local.quota = Infinity;
    expect(drafts.save(chain('grown', 60)).state).toBe('saved');
    const r = drafts.read(drafts.tab);
    expect(r?.ok && r.design.name).toBe('grown');
  });

  it('storage that is switched off is a failure with its reason', () => {
    const drafts = new Drafts(null, null);
    expect(drafts.save(chain('x', 2))).toMatchObject({ state: 'failed', reason: 'this browser gives Convas no storage' });
  });

  it('two tabs keep two drafts; a reload finds its own; a new tab starts from the newest', () => {
    const local = new MemoryStorage();
    let clock = 1000;
    const tabA = new Drafts(local, new MemoryStorage(), () => clock++);
    const tabB = new Drafts(local, new MemoryStorage(), () => clock++);
    tabA.save(chain('work of A', 3));
    tabB.save(chain('work of B', 4));
    tabA.save(chain('work of A, later', 5));
    expect(tabA.list().map((d) => d.name)).toEqual(['work of A, later', 'work of B']);
    const reloadB = new Drafts(local, { getItem: () => tabB.tab, setItem() {}, removeItem() {}, key: () => null, length: 0 }, () => clock++);
    const got = reloadB.initial();
    expect(got.tab).toBe(tabB.tab);
    expect(got.tab && got.loaded.design.name).toBe('work of B');
    const fresh = new Drafts(local, new MemoryStorage(), () => clock++).initial();
    expect(fresh.tab && fresh.loaded.design.name).toBe('work of A, later');
  });

  it('a tab whose slot another tab writes (a duplicated tab) moves to its own slot', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    const a = new Drafts(local, session);
    const b = new Drafts(local, session); // same session id, as a duplicated tab has
    expect(b.tab).toBe(a.tab);
    a.save(chain('A', 2));
    expect(b.onStorage(DRAFT_PREFIX + a.tab)).toBe('shared');
    expect(b.tab).not.toBe(a.tab);
    b.save(chain('B', 3));
    expect(a.list().map((d) => d.name).sort()).toEqual(['A', 'B']);
    expect(a.onStorage(DRAFT_PREFIX + b.tab)).toBe('other');
    expect(a.onStorage('unrelated')).toBeNull();
  });

  it('opening a link starts a fresh draft: the replaced work stays readable', () => {
    const local = new MemoryStorage();
    let clock = 1000;
    const tab = new Drafts(local, new MemoryStorage(), () => clock++);
    tab.save(chain('my work', 4));
    const mine = tab.tab;
    tab.startFresh();
    tab.save(chain('from the link', 2));
    const kept = tab.read(mine);
    expect(kept?.ok && kept.design.name).toBe('my work');
    expect(tab.list().map((d) => [d.name, d.mine])).toEqual([['from the link', true], ['my work', false]]);
  });

  it('New, a preset or a file over saved work keeps that work as its own draft; over unsaved work it adds none', () => {
    const local = new MemoryStorage();
    let clock = 1000;
    const tab = new Drafts(local, new MemoryStorage(), () => clock++);
    expect(tab.keepCurrent(chain('never edited', 2))).toBe(false);
    expect(tab.list()).toEqual([]);
    tab.save(chain('edited', 3));
    const first = tab.tab;
    expect(tab.keepCurrent(chain('edited, last change', 4))).toBe(true);
    expect(tab.tab).not.toBe(first);
    tab.save(emptyDesign('Untitled'));
    expect(tab.list().map((d) => [d.name, d.layers, d.mine])).toEqual([['Untitled', 0, true], ['edited, last change', 4, false]]);
  });

  it('the single autosave slot of earlier versions is still found', () => {
    const local = new MemoryStorage();
    local.setItem(LEGACY_AUTOSAVE_KEY, JSON.stringify(chain('old autosave', 3)));
    const got = new Drafts(local, new MemoryStorage()).initial();
    expect(got.tab && got.loaded.design.name).toBe('old autosave');
  });

  it('a hostile draft (100k-deep) is skipped with its reason, and stays stored', () => {
    const local = new MemoryStorage();
    local.setItem(DRAFT_PREFIX + 'x', '{"format":"convas.design","version":1,"nodes":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}');
    const got = new Drafts(local, new MemoryStorage()).initial();
    expect(got.tab).toBeNull();
    expect(got.tab === null ? got.error : '').toContain('levels deep');
    expect(local.getItem(DRAFT_PREFIX + 'x')).not.toBeNull();
  });
});
