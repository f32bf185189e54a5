/**
 * Moved to src/io/design-io.ts (browser input/output lives in src/io/). This re-export only keeps
 * src/export/keras-open.test.ts, another engineer's file, building until its import names src/io/design-io.ts;
 * delete it then.
 */
export { loadFile } from '../io/design-io.ts';
