/**
 * Keras import of `channelShuffle`. Keras has no channel shuffle; Convas's tfjs export writes one as Keras's own
 * layers (channel-shuffle/tfjs.ts): `Reshape` `<id>__groups` to `[…, groups, C/groups]` → `Permute` `<id>__swap`
 * of the last two axes → `Reshape` `<id>` back to `[…, C]`. The importer folds exactly that chain back into one
 * node (src/drivers/import/keras-import.ts, reading the names and dims below); the kind claims `Permute` so that
 * a Permute anywhere else is refused by name (Convas has no general transpose).
 */

import { z } from 'zod';
import { ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, posInt, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

/** Helper suffixes of the split reshape and the permute (`<id>__groups`, `<id>__swap`), as the import reads them. */
export const SHUFFLE_HELPERS = { split: 'groups', swap: 'swap' } as const;

/**
 * `Permute` dims (1-based, batch excluded) that swap the last two of `rank` axes (batch excluded):
 * `[1, 2, 4, 3]` for `[H, W, groups, C/groups]`, `[2, 1]` for `[groups, C/groups]`.
 */
export function swapLastTwo(rank: number): number[] {
  return [...Array.from({ length: rank - 2 }, (_, i) => i + 1), rank, rank - 1];
}

export const channelShuffleKeras: KerasRuleOf<'channelShuffle'> = {
  classes: {
    Permute: kerasClass(z.object({ ...commonFields, dims: z.array(posInt, { error: 'expected a list of axes (1-based)' }) }), (c, name) => {
      throw new ImportError(`layer '${name}': a Permute ${preview(c.dims)} outside a channel shuffle Convas wrote (Reshape '<id>__${SHUFFLE_HELPERS.split}' → Permute '<id>__${SHUFFLE_HELPERS.swap}' → Reshape '<id>'): Convas has no general transpose`);
    }),
  },
};
