import { memo, useState, type DragEvent } from 'react';
import { BLOCKS, type BlockSettings } from '../../engine/blocks.ts';
import { PALETTE, type PaletteItem } from '../../kinds/categories.ts';
import { PALETTE_MIME } from './palette-drag.ts';
import { WholeNumberInput } from './WholeNumberInput.tsx';
import { BlockSettingsFields } from './BlockSettingsFields.tsx';

export const BLOCK_MIME = 'application/x-convas-block';

/**
 * The layer palette: drag an item onto the canvas, or click it to add it below the selected node. A block with
 * settings (an SE gate's reduction, an MBConv's expansion…) has them folded under it; they go with the block.
 */
export const Palette = memo(function Palette({ onAdd, onAddBlock }: {
  onAdd: (item: PaletteItem) => void;
  onAddBlock: (key: string, times: number, settings: BlockSettings) => void;
}) {
  const [times, setTimes] = useState(1);
  const [query, setQuery] = useState('');
  const [blockSettings, setBlockSettings] = useState<Record<string, BlockSettings>>({});
  const settingsOf = (key: string) => blockSettings[key] ?? {};
  const q = query.trim().toLowerCase();
  const sections = q ? PALETTE.map((sec) => ({ ...sec, items: sec.items.filter((i) => paletteMatches(q, i.title, i.key)) })).filter((sec) => sec.items.length) : PALETTE;
  const blocks = q ? BLOCKS.filter((b) => paletteMatches(q, b.title, b.key)) : BLOCKS;
  const first = sections[0]?.items[0];
  const onDragStart = (e: DragEvent, item: PaletteItem) => {
    e.dataTransfer.setData(PALETTE_MIME, item.key);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="palette" aria-label="Layer palette">
      <input
        type="search"
        className="palette-search"
        data-testid="palette-search"
        placeholder="Search (Enter adds)"
        aria-label="Search the palette; Enter adds the first match below the selected layer"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (first) onAdd(first);
            else if (blocks[0]) onAddBlock(blocks[0].key, times, settingsOf(blocks[0].key));
          } else if (e.key === 'Escape') {
            setQuery('');
          }
        }}
      />
      {q && !sections.length && !blocks.length && <p className="palette-hint" data-testid="palette-none">Nothing matches “{query.trim()}”.</p>}
      {sections.map((section) => (
        <section key={section.category} className="palette-section">
          <h3>{section.label}</h3>
          {section.items.map((item) => (
            <button
              key={item.key}
              type="button"
              className={`palette-item cat-${item.category}${q && item === first ? ' first-match' : ''}`}
              draggable
              data-testid={`palette-${item.key}`}
              title={item.doc}
              onDragStart={(e) => onDragStart(e, item)}
              onClick={() => onAdd(item)}
            >
              <span className="swatch" />
              {item.title}
            </button>
          ))}
        </section>
      ))}
      {blocks.length > 0 && <section className="palette-section">
        <h3 className="blocks-heading">
          Blocks
          <label className="times" title="Insert this many copies, each feeding the next">
            ×
            <WholeNumberInput value={times} min={1} max={16} label="Copies" data-testid="block-times" onValue={setTimes} />
          </label>
        </h3>
        {blocks.map((b) => (
          <div key={b.key} className="block-item">
            <button
              type="button"
              className={`palette-item cat-block`}
              draggable
              data-testid={`palette-block-${b.key}`}
              title={b.doc}
              onDragStart={(e) => {
                e.dataTransfer.setData(BLOCK_MIME, JSON.stringify({ key: b.key, times, settings: settingsOf(b.key) }));
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onAddBlock(b.key, times, settingsOf(b.key))}
            >
              <span className="swatch" />
              {b.title}
            </button>
            <BlockSettingsFields spec={b} value={settingsOf(b.key)} onChange={(v) => setBlockSettings((all) => ({ ...all, [b.key]: v }))} />
          </div>
        ))}
      </section>}
      <p className="palette-hint">Drag onto the canvas, or click to add below the selected layer.</p>
    </nav>
  );
});

/** Whether every word of the (lower-case) query is in an item's title or key: "pool" finds Max pool, Avg pool… */
export function paletteMatches(query: string, title: string, key: string): boolean {
  const hay = `${title} ${key}`.toLowerCase();
  return query.split(/\s+/).every((w) => hay.includes(w));
}

export function paletteItem(key: string): PaletteItem | undefined {
  for (const s of PALETTE) for (const i of s.items) if (i.key === key) return i;
  return undefined;
}
