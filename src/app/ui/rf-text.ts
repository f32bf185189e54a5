import { formatRfSize } from '../../engine/index.ts';

/**
 * The receptive-field size of a node as the canvas and the table show it: `7×7`; `7×7 + global` where a global path
 * reaches it too (docs/receptive-field.md#global-paths); `—` after flatten, global
 * pooling or dense (no spatial layout left, contract: null); `?` when the node cannot be computed.
 */
export const rfSizeText = formatRfSize;
