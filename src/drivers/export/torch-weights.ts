/**
 * A compiled tfjs model's weights (seeded, or loaded from a trained model) in PyTorch's layouts, for `model.py`'s
 * `load_convas_weights`. The one module of src/drivers/export that touches tfjs, and only through src/drivers/compile: each
 * node's weights are read back into Convas's layouts by its kind's tfjs rule (`readWeights` in
 * `src/kinds/<kind>/tfjs.ts`, through `compiledNodeWeights`: a grouped conv's per-group kernels joined along the
 * filters, a depthwise-compiled grouped conv's kernel read as [kh, kw, 1, filters]) and converted with
 * torch-layout.ts.
 * Seeded weights need no tfjs at all: `seededTorchWeights` in torch-layout.ts gives the same bytes.
 */

import type { Design } from '../../engine/index.ts';
import { compiledNodeWeights, type Compiled } from '../compile/index.ts';
import { packTorchWeights, torchStateDict, type TorchWeights } from './torch-layout.ts';

export type { TorchTensor, TorchWeights } from './torch-layout.ts';

/**
 * Converts the weights of a compiled design. `dataFile` is the name the manifest gives the raw file; `seed` the
 * seed the manifest records (null for loaded weights).
 * @example const w = torchWeights(design, compileDesign(design, { seed: 1 }), 'model.weights.bin', 1)
 */
export function torchWeights(design: Design, compiled: Compiled, dataFile: string, seed: number | null): TorchWeights {
  const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
  return packTorchWeights(state, dataFile, seed);
}
