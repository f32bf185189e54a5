import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesignBuilder, vgg16 } from '../../../test/fixtures/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-cli-'));
const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

/** Runs `convas` in a shell pipe (`| cat`), the way it is used, and returns stdout, stderr and the exit code. */
function convas(args: string[]) {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `set -o pipefail; node bin/convas.js ${quoted} | cat`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe('convas summary', () => {
  const vgg = file('vgg16.convas.json', vgg16());

  it('opens a hand-written design whose edges have no ids (docs/design-format.md#edges)', () => {
    const noIds = file('no-ids.convas.json', '{"format":"convas.design","version":1,"nodes":[{"id":"in","kind":"input","params":{"shape":[8,8,3]}},{"id":"c","kind":"conv2d","params":{"filters":4,"kernelSize":3}}],"edges":[{"source":"in","target":"c"}]}');
    const { stdout, code } = convas(['summary', noIds, '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(stdout);
    expect(a.totals.params).toBe(112);
    expect(a.nodes.map((n: { inputs: string[] }) => n.inputs)).toEqual([[], ['in']]);
  });

  it('prints a Keras-like table with totals and float32 size', () => {
    const { stdout, code } = convas(['summary', vgg]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/block1_conv1\s+conv2d\s+224×224×64\s+1,792\s+86,704,128\s+3×3 \/1/);
    expect(stdout).toMatch(/block5_pool\s+maxPool2d\s+7×7×512\s+0\s+0\s+212×212 \/32/);
    expect(stdout).toContain('Total params: 138,357,544 (553.43 MB)');
    expect(stdout).toContain('Non-trainable params: 0');
    expect(stdout).toContain('Total MACs: 15,470,264,320');
  });

  it('--json prints the contract analysis', () => {
    const { stdout, code } = convas(['summary', vgg, '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(stdout);
    const { memory, ...counts } = a.totals;
    expect(counts).toEqual({ params: 138_357_544, trainableParams: 138_357_544, nonTrainableParams: 0, macs: 15_470_264_320 });
    expect(memory.paramBytes).toBe(4 * 138_357_544);
    expect(a.nodes).toHaveLength(23);
  });

  it('exit 1 for an invalid design, still printing the analysis and its errors', () => {
    const b = new DesignBuilder('broken');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 9 }, 'in', 'big');
    const p = file('broken.json', b.design());
    const table = convas(['summary', p]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain("conv2d 'big': kernel 9×9 is larger than its 8×8 input (padding 0)");
    expect(table.stdout).toMatch(/big\s+conv2d\s+\?\s+\?\s+\?/);
    const json = convas(['summary', p, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).valid).toBe(false);
    // the JSON error names the node by id; its message goes without the label the table puts in front
    expect(JSON.parse(json.stdout).errors).toEqual([{ nodeId: 'big', message: 'kernel 9×9 is larger than its 8×8 input (padding 0)' }]);
  });

  it.each([
    ['missing file', join(dir, 'nope.json'), /cannot read .*nope\.json: no such file/],
    ['a directory', dir, /it is a directory/],
    ['not JSON', 'garbage.json', /not valid JSON/],
    ['not a design', 'other.json', /"format" must be "convas.design"/],
  ])('exit 2 with one line on stderr for %s', (_what, target, message) => {
    const p = target === 'garbage.json' ? file('garbage.json', '{nope') : target === 'other.json' ? file('other.json', { hello: 1 }) : target;
    const { stdout, stderr, code } = convas(['summary', p]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('usage errors are exit 2', () => {
    expect(convas(['summary']).code).toBe(2);
    expect(convas(['summary', vgg, '--frobnicate']).code).toBe(2);
    expect(convas(['explode']).code).toBe(2);
  });

  it('writes a multi-megabyte --json through a pipe without cutting it at 64 KiB', () => {
    const b = new DesignBuilder('long chain');
    b.input([32, 32, 16]);
    for (let i = 0; i < 6000; i++) b.add(i % 2 ? 'activation' : 'conv2d', i % 2 ? { fn: 'relu' } : { filters: 16, kernelSize: 3, padding: 'same' });
    const p = file('big.json', b.design());
    const out = execFileSync('bash', ['-c', `node bin/convas.js summary '${p}' --json | cat`], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(out.length).toBeGreaterThan(2_000_000);
    const a = JSON.parse(out);
    expect(a.nodes).toHaveLength(6001);
    expect(a.totals.params).toBe(3000 * (9 * 16 * 16 + 16));
  });

  it('stops quietly when the reader of a pipe goes away (| head), and says so when stdout cannot be written', () => {
    const b = new DesignBuilder('long chain');
    b.input([32, 32, 16]);
    for (let i = 0; i < 3000; i++) b.add('conv2d', { filters: 16, kernelSize: 3, padding: 'same' });
    const p = file('gone.json', b.design());
    // the reader takes 100 bytes of about 2 MB and leaves: convas's own exit code, nothing on stderr (was Node's EPIPE stack trace)
    const gone = spawnSync('bash', ['-c', `node bin/convas.js summary '${p}' --json | head -c 100 > /dev/null; echo "convas exit \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(gone.stderr).toBe('convas exit 0\n');
    const full = spawnSync('bash', ['-c', `node bin/convas.js summary '${p}' --json > /dev/full`], { encoding: 'utf8' });
    expect(full.status).toBe(2);
    expect(full.stderr).toMatch(/^convas: cannot write to standard output: ENOSPC/);
  });
});

describe('convas summary: memory and advice (docs/advice.md)', () => {
  // in 56×56×64 → one 5×5 conv, 64 → 64, same, relu: the 5×5 design of the issue
  const b = new DesignBuilder('five');
  b.input([56, 56, 64]);
  b.add('conv2d', { filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' }, 'in', 'c5');
  b.add('globalAvgPool', {}, 'c5', 'gap');
  const five = file('five.convas.json', b.design());

  it('--json adds outputBytes, totals.memory at the batch size and advice, keeping every analysis field', () => {
    const { stdout, code } = convas(['summary', five, '--json', '--batch', '4']);
    expect(code).toBe(0);
    const a = JSON.parse(stdout);
    expect(a.totals).toMatchObject({ params: 102_464, macs: 56 * 56 * 64 * 25 * 64 });
    const act = 4 * 4 * 56 * 56 * 64; // bytes of one 56×56×64 float32 tensor at batch 4
    expect(a.nodes.map((n: { outputBytes: number }) => n.outputBytes)).toEqual([act, act, 4 * 4 * 64]);
    expect(a.totals.memory).toEqual({
      batch: 4, inputBytes: act, paramBytes: 4 * 102_464, forwardBackwardBytes: 2 * act,
      estimatedTotalBytes: act + 4 * 102_464 + 2 * act, trainingBytes: act + 4 * 102_464 + 2 * act + 12 * 102_464,
      // at c5 the input and c5's output are alive together (docs/analysis.md#peak-memory-by-liveness)
      inferencePeakBytes: 2 * act, peakNodeId: 'c5',
      // int8: 25·64·64 kernel bytes, a 4-byte scale per filter, the 64 biases at 4 bytes
      paramBytesFloat16: 2 * 102_464, paramBytesInt8: 25 * 64 * 64 + 4 * 64 + 4 * 64,
    });
    // two 3×3: 2·(9·64·64 + 64) − (25·64·64 + 64)
    expect(a.advice[0]).toEqual({
      nodeId: 'c5', rule: 'factorize-kernel', message: expect.any(String),
      paramsDelta: 2 * (9 * 64 * 64 + 64) - (25 * 64 * 64 + 64), macsDelta: 56 * 56 * 64 * 64 * (18 - 25),
    });
    expect(a.advice.map((x: { rule: string }) => x.rule)).toEqual(['factorize-kernel', 'bottleneck-1x1', 'receptive-field-coverage', 'depthwise-separable']);
    // rule 6: a depthwise 5×5 (no bias) then a 1×1 conv 64 → 64 with the bias: 25·64 + 64·64 + 64 for 25·64·64 + 64
    expect(a.advice[3]).toMatchObject({
      nodeId: 'c5', paramsDelta: (25 * 64 + 64 * 64 + 64) - (25 * 64 * 64 + 64), macsDelta: 56 * 56 * 64 * (25 + 64) - 56 * 56 * 64 * 64 * 25,
    });
  });

  it('the table shows the output size column, memory lines in human units and the advice under it', () => {
    const { stdout, code } = convas(['summary', five]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/c5\s+conv2d\s+56×56×64\s+102,464\s+[\d,]+\s+5×5 \/1\s+802\.82 kB/);
    expect(stdout).toContain('Memory, batch size 1');
    expect(stdout).toContain('Forward/backward pass size: 1.61 MB (1,605,632 bytes)');
    // the largest saving first, as the Advice tab lists them (the JSON above keeps the contract's order)
    expect(stdout.match(/^ {2}\[[a-z0-9-]+\]/gm)).toEqual(['  [depthwise-separable]', '  [bottleneck-1x1]', '  [factorize-kernel]', '  [receptive-field-coverage]']);
    expect(stdout).toMatch(/Advice \(4\):\n {2}\[depthwise-separable\] c5: a depthwise 5×5 convolution/);
    // the percentages say of what: the 5×5 conv is the whole network here
    expect(stdout).toContain('−28,608 params (−28% of c5, −28% of the network), −89,915,392 MACs, same receptive field');
  });

  it('ResNet-18 at batch 1: forward/backward pass 39,747,392 bytes (torchinfo)', () => {
    const a = JSON.parse(convas(['summary', 'presets/resnet18.convas.json', '--json']).stdout);
    expect(a.totals.memory.forwardBackwardBytes).toBe(39_747_392);
  });

  it.each(['0', '-3', '1.5', 'two', ''])('--batch %j is a usage error, exit 2', (v) => {
    const { stdout, stderr, code } = convas(['summary', five, '--batch', v]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--batch (must be a positive whole number|needs a value)/);
  });
});

describe('convas diff', () => {
  const before = new DesignBuilder('before');
  before.input([16, 16, 8]);
  before.add('conv2d', { filters: 8, kernelSize: 5, padding: 'same' }, 'in', 'c');
  before.add('activation', { fn: 'relu' }, 'c', 'r');
  const after = new DesignBuilder('after');
  after.input([16, 16, 8]);
  after.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'in', 'c_a');
  after.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'c_a', 'c');
  const pb = file('before.convas.json', before.design());
  const pa = file('after.convas.json', after.design());

  it('--json: totals AFTER − BEFORE and the added, changed and removed nodes', () => {
    const { stdout, code } = convas(['diff', pb, pa, '--json']);
    expect(code).toBe(0);
    // 5·5·8·8 + 8 = 1608 before; 2 · (3·3·8·8 + 8) = 1168 after
    expect(JSON.parse(stdout)).toMatchObject({
      totals: { params: 1168 - 1608, trainableParams: 1168 - 1608, nonTrainableParams: 0, macs: 16 * 16 * 8 * 8 * (18 - 25) },
      nodes: [
        { id: 'c_a', change: 'added', params: 584, macs: 16 * 16 * 8 * 9 * 8, outputShape: [16, 16, 8] },
        { id: 'c', change: 'changed', params: 584 - 1608, macs: 16 * 16 * 8 * 8 * (9 - 25), outputShape: [16, 16, 8] },
        { id: 'r', change: 'removed', params: 0, macs: 0, outputShape: null },
      ],
    });
  });

  it('without --json, a table of old → new figures', () => {
    const { stdout, code } = convas(['diff', pb, pa]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/c_a\s+conv2d\s+added\s+584\s+\+584\s+147,456\s+\+147,456\s+16×16×8/);
    expect(stdout).toMatch(/c\s+conv2d\s+changed\s+1,608 → 584\s+−1,024\s+409,600 → 147,456\s+−262,144\s+16×16×8\s+5×5/);
    expect(stdout).toMatch(/r\s+activation\s+removed\s+0\s+0\s+0\s+0\s+16×16×8/);
    expect(stdout).toContain('Total params: 1,608 → 1,168 (−440)');
    expect(convas(['diff', pb, pb]).stdout).toContain('No layer changed.');
  });

  it('exit 2 for a file that is not a design, or a wrong number of files', () => {
    const junk = file('junk.json', { hello: 1 });
    const r = convas(['diff', pb, junk]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"format" must be "convas.design"/);
    expect(convas(['diff', pb]).code).toBe(2);
  });
});

