import { memo, useState, type DragEvent } from 'react';
import { BLOCKS } from './blocks.ts';
import { PALETTE, PALETTE_MIME, type PaletteItem } from './categories.ts';

export const BLOCK_MIME = 'application/x-convas-block';

/** The layer palette: drag an item onto the canvas, or click it to add it below the selected node. */
export const Palette = memo(function Palette({ onAdd, onAddBlock }: {
  onAdd: (item: PaletteItem) => void;
  onAddBlock: (key: string, times: number) => void;
}) {
  const [times, setTimes] = useState(1);
  const onDragStart = (e: DragEvent, item: PaletteItem) => {
    e.dataTransfer.setData(PALETTE_MIME, item.key);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="palette" aria-label="Layer palette">
      {PALETTE.map((section) => (
        <section key={section.category} className="palette-section">
          <h3>{section.label}</h3>
          {section.items.map((item) => (
            <button
              key={item.key}
              type="button"
              className={`palette-item cat-${item.category}`}
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
      <section className="palette-section">
        <h3 className="blocks-heading">
          Blocks
          <label className="times" title="Insert this many copies, each feeding the next">
            ×
            <input
              type="number"
              min={1}
              max={16}
              value={times}
              data-testid="block-times"
              onChange={(e) => setTimes(Math.min(16, Math.max(1, Math.round(Number(e.target.value)) || 1)))}
            />
          </label>
        </h3>
        {BLOCKS.map((b) => (
          <button
            key={b.key}
            type="button"
            className={`palette-item cat-block`}
            draggable
            data-testid={`palette-block-${b.key}`}
            title={b.doc}
            onDragStart={(e) => {
              e.dataTransfer.setData(BLOCK_MIME, JSON.stringify({ key: b.key, times }));
              e.dataTransfer.effectAllowed = 'copy';
            }}
            onClick={() => onAddBlock(b.key, times)}
          >
            <span className="swatch" />
            {b.title}
          </button>
        ))}
      </section>
      <p className="palette-hint">Drag onto the canvas, or click to add below the selected layer.</p>
    </nav>
  );
});

export function paletteItem(key: string): PaletteItem | undefined {
  for (const s of PALETTE) for (const i of s.items) if (i.key === key) return i;
  return undefined;
}
