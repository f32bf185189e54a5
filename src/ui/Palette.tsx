import { memo, type DragEvent } from 'react';
import { PALETTE, PALETTE_MIME, type PaletteItem } from './categories.ts';

/** The layer palette: drag an item onto the canvas, or click it to add it below the selected node. */
export const Palette = memo(function Palette({ onAdd }: { onAdd: (item: PaletteItem) => void }) {
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
      <p className="palette-hint">Drag onto the canvas, or click to add below the selected layer.</p>
    </nav>
  );
});

export function paletteItem(key: string): PaletteItem | undefined {
  for (const s of PALETTE) for (const i of s.items) if (i.key === key) return i;
  return undefined;
}
