import { ViewportPortal } from '@xyflow/react';
import type { Frame } from '../../engine/layout/group-frames.ts';
import { FrameHead } from './GroupFrame.tsx';

/**
 * The heads of the open group frames, in the band at the top of each frame (group-frames.ts' `HEADER`). They are
 * drawn in the viewport's portal, above the edges and their shape labels (a frame itself sits behind the edges),
 * and the labels of edges into a frame move below the band (engine/layout/frame-head.ts), so neither hides the other.
 */
export function FrameHeads({ frames }: { frames: readonly Frame[] }) {
  return (
    <ViewportPortal>
      {frames.filter((f) => !f.collapsed).map((f) => (
        <div key={f.id} className="frame-head-slot" style={{ transform: `translate(${f.x + 8}px, ${f.y + 3}px)`, maxWidth: f.width - 16 }}>
          <FrameHead groupId={f.group.id} />
        </div>
      ))}
    </ViewportPortal>
  );
}
