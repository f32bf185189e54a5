/** The drag-and-drop type a palette entry is carried under from the palette to the canvas (its key is the data). */
export const PALETTE_MIME = 'application/x-convas-layer';
