/**
 * A functional Keras/tfjs topology's `input_layers` and `output_layers`: the model's inputs and outputs in the order
 * `model.predict` takes and returns them (docs/design-format.md#outputs). Keras 2 and tfjs write a list of
 * `[layer name, node index, tensor index]`; Keras 3 writes one such reference bare when the model has one input or
 * output. A Sequential has neither (its inputs are its first layer's, its output its last layer's).
 */

import { ImportError } from '../../backends/keras-rule.ts';
import { preview } from '../../backends/keras-schema.ts';

/** The layer names of the model's inputs and outputs, in order; `null` where the topology does not say. */
export interface KerasEnds {
  inputs: string[] | null;
  outputs: string[] | null;
}

const isRef = (v: unknown): v is [string, number, number] => Array.isArray(v) && typeof v[0] === 'string';

/** One of `input_layers`/`output_layers` → layer names; an ImportError names the field and what it holds. */
function readRefs(field: 'input_layers' | 'output_layers', raw: unknown): string[] | null {
  if (raw === undefined || raw === null) return null;
  const refs = isRef(raw) ? [raw] : Array.isArray(raw) ? raw : null;
  if (refs === null) {
    throw new ImportError(`field '${field}': expected a list of [layer name, node index, tensor index], got ${preview(raw)} (named inputs and outputs are not supported)`);
  }
  const names: string[] = [];
  refs.forEach((r, k) => {
    if (!isRef(r) || !Number.isInteger(r[1]) || !Number.isInteger(r[2])) {
      throw new ImportError(`field '${field}.${k}': expected [layer name, node index, tensor index], got ${preview(r)}`);
    }
    if (r[1] !== 0) throw new ImportError(`field '${field}.${k}': call ${r[1]} of layer '${r[0]}' (shared layers are not supported)`);
    if (r[2] !== 0) throw new ImportError(`field '${field}.${k}': output ${r[2]} of layer '${r[0]}' (Convas layers have one output)`);
    if (names.includes(r[0])) {
      throw new ImportError(`field '${field}': layer '${r[0]}' is listed twice (a Convas design lists each input and output once)`);
    }
    names.push(r[0]);
  });
  return names;
}

/**
 * The inputs and outputs a functional topology's config names (`config.input_layers`, `config.output_layers`).
 * @throws ImportError for a list Convas cannot read: named (dict) inputs or outputs, a shared layer's later call, a
 *   layer's second output, a layer listed twice
 * @example kerasEnds({ output_layers: [['box', 0, 0], ['cls', 0, 0]] }).outputs // → ['box', 'cls']
 */
export function kerasEnds(config: Record<string, unknown>): KerasEnds {
  return { inputs: readRefs('input_layers', config.input_layers), outputs: readRefs('output_layers', config.output_layers) };
}
