import { useMemo } from 'react';
import type { DesignNode, NodeAnalysis } from '../../../engine/index.ts';
import { explainNodeWindow } from '../../../engine/window-explain.ts';
import { WindowExplainer } from './WindowExplainer.tsx';

/** The inspector's "Explain this layer" for a node whose kind slides a window (nothing for other kinds, or on an error). */
export function ExplainLayer({ node, a }: { node: DesignNode; a: NodeAnalysis }) {
  const e = useMemo(() => explainNodeWindow(node, a), [node, a]);
  return e ? <WindowExplainer e={e} /> : null;
}
