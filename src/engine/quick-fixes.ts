/**
 * One-click repairs offered beside an error, for every error kind with an obvious repair:
 * - a merge that sums (`merge: 'sum'`, e.g. `add`) whose skip input has another shape: a 1×1 projection conv on
 *   the skip (with the stride that matches);
 * - a merge that concatenates (`merge: 'concat'`) whose inputs differ in H×W: `padding: same` on the input layer
 *   that shrank the map, or a pool of the integer factor on an input that is larger;
 * - a kernel (or pool window) larger than its input: `padding: same`, or the largest kernel that fits;
 * - `groups` not dividing the input channels or the filters (a kind with a `groups` param): the largest groups
 *   that divide both (the channels alone for a kind without filters: a channel shuffle), or filters rounded up to
 *   a multiple of groups;
 * - a layer missing an input (or a merge with too few): a wire from the nearest layer above it;
 * - a one-input layer wired from several: an Add or a Concat in front that merges them;
 * - two inputs naming the same port: the ports renumbered in their present order;
 * - a kind that takes a flat vector (`flatInput`, e.g. `dense`) fed a feature map: Flatten or Global average
 *   pool in between.
 * A fix is a `Finding` (finding.ts, as an advice item is): the design rewritten (one undo step) and the layers it
 * adds; every fix is checked to clear its error before it is offered. Inputs are taken in the order of the
 * contract's `inputsInPortOrder`, the one rule for input order.
 */

import {
  analyze, connectNodes, defaultParams, formatPair, formatPairShort, freshNodeId, gcd, getLayerKind, inputsInPortOrder, int2Value,
  setNodeParams, validateParams,
  type AnyParams, type Design, type DesignEdge, type DesignNode, type NodeAnalysis, type Pair, type Shape,
} from './index.ts';
import { windowOutput } from '../kinds/common.ts';
import { addedNodeIds, type Finding } from './finding.ts';
import { placeOnEdge, placeOnEdges } from './layout/placement.ts';

/** A quick fix: a finding on the node with the error, whose rewrite always exists. */
export interface QuickFix extends Finding {
  rewrite: Design;
}

/**
 * A fix being considered: its button text, the edit it makes, and (for a fix of one input among several wrong
 * ones) the test it must pass on the analysis of its result to be offered.
 */
interface Candidate {
  label: string;
  apply(design: Design): Design;
  check?: (fixed: NodeAnalysis) => boolean;
}


function nameOf(n: DesignNode | undefined, id: string): string {
  return n?.name ?? id;
}

/** A node made for an edge insert (default parameters of its kind, then `params`). */
function newNode(design: Design, kind: string, params: Record<string, unknown>, base: string): DesignNode {
  const k = getLayerKind(kind)!;
  return { id: freshNodeId(design, base), kind, params: { ...defaultParams(k.params), ...params } };
}

/**
 * `fix` made on `design`, if it repairs `nodeId`: it has no error afterwards, or, for a fix of one input among
 * several wrong ones, passes the fix's own check. Null for a fix that repairs nothing, or whose edit cannot be made
 * on this design (an edit that throws): neither is offered.
 */
function repairing(design: Design, fix: Candidate, nodeId: string): Design | null {
  try {
    const fixed = fix.apply(design);
    const r = analyze(fixed).nodes.find((n) => n.id === nodeId);
    if (!r) return null;
    return (!r.error && !!r.outputShape) || (!!fix.check && fix.check(r)) ? fixed : null;
  } catch {
    return null;
  }
}

/** A candidate as the finding it makes on `design`'s node `nodeId`. */
function asFinding(design: Design, nodeId: string, fix: Candidate, rewrite = fix.apply(design)): QuickFix {
  return { nodeId, message: fix.label, rewrite, added: addedNodeIds(design, rewrite) };
}

/**
 * The quick fixes for `node`'s error (none when it has no error or no fix is obvious), each with its rewritten
 * design: the wires first (offered even where the layer then shows its next problem), then the repairs that clear it.
 */
export function quickFixes(design: Design, node: DesignNode, a: NodeAnalysis | undefined, depth: Record<string, number>): QuickFix[] {
  if (!a?.error) return [];
  const edges = inputsInPortOrder(design).get(node.id) ?? [];
  const kind = getLayerKind(node.kind);
  const fixes: Candidate[] = [];
  // a wire is offered even when the layer then shows its next problem: the person sees it at once
  const wiring = kind && edges.length < kind.arity.min ? missingInputFixes(design, node, edges, kind.arity.min) : [];
  if (kind && kind.arity.max === 1 && edges.length > 1) {
    // a wiring error carries no input shapes: they are the outputs of the layers it is wired from
    const out = new Map(analyze(design).nodes.map((r) => [r.id, r.outputShape]));
    const ins = edges.map((e) => out.get(e.source));
    if (ins.every((x): x is Shape => !!x)) fixes.push(...mergeFixes(edges, ins));
  }
  // two edges on one port, or a port beyond the inputs (the contract's `orderInputs`)
  if (/two input edges name targetPort|names targetPort \d+, but the node has/.test(a.error)) {
    fixes.push({
      label: `Renumber the inputs' ports 0–${edges.length - 1} in their present order`,
      apply: (d) => ({ ...d, edges: d.edges.map((e) => (e.target === node.id ? { ...e, targetPort: edges.findIndex((x) => x.id === e.id) } : e)) }),
    });
  }
  const shapes = a.inputShapes;
  if (shapes && shapes.length === edges.length && shapes.every((s) => !!s)) {
    const ins = shapes as Shape[];
    if (kind?.merge === 'sum') fixes.push(...projectionFixes(design, edges, ins, depth));
    if (kind?.merge === 'concat') fixes.push(...concatFixes(design, edges, ins));
    if (/is larger than its \d+×\d+ input/.test(a.error)) fixes.push(...windowFixes(node, ins[0]));
    if (/is more than half its \d+-wide window/.test(a.error)) fixes.push(...poolPaddingFixes(node));
    if (kind && 'groups' in kind.params && /groups \d+ does not divide/.test(a.error)) fixes.push(...groupsFixes(node, ins[0]));
    if (kind?.flatInput && ins[0]?.length === 3) {
      const s = ins[0];
      fixes.push({
        label: `Insert Flatten (${s.join('×')} → ${s.reduce((x, y) => x * y, 1)})`,
        apply: (d) => placeOnEdge(d, edges[0], newNode(d, 'flatten', {}, 'flatten')),
      });
      fixes.push({
        label: `Insert Global average pool (${s.join('×')} → ${s[2]})`,
        apply: (d) => placeOnEdge(d, edges[0], newNode(d, 'globalAvgPool', {}, 'globalAvgPool')),
      });
    }
  }
  const repairs = fixes.flatMap((f) => {
    const fixed = repairing(design, f, node.id);
    return fixed ? [asFinding(design, node.id, f, fixed)] : [];
  });
  return [...wiring.map((f) => asFinding(design, node.id, f)), ...repairs];
}

/**
 * A one-input layer wired from several: an Add in front when their shapes are equal, a Concat when their
 * H×W are (inputs in port order).
 */
function mergeFixes(edges: DesignEdge[], shapes: Shape[]): Candidate[] {
  const fixes: Candidate[] = [];
  const same = shapes.every((s) => s.length === shapes[0].length && s.every((d, i) => d === shapes[0][i]));
  if (same) {
    fixes.push({
      label: `Merge the ${shapes.length} inputs with an Add (${shapes[0].join('×')})`,
      apply: (d) => placeOnEdges(d, edges, newNode(d, 'add', {}, 'add')),
    });
  }
  if (shapes.every((s) => s.length === 3 && s[0] === shapes[0][0] && s[1] === shapes[0][1])) {
    const c = shapes.map((s) => s[2]);
    fixes.push({
      label: `Merge the ${shapes.length} inputs with a Concat (${shapes[0][0]}×${shapes[0][1]}×${c.reduce((x, y) => x + y, 0)}, C = ${c.join(' + ')})`,
      apply: (d) => placeOnEdges(d, edges, newNode(d, 'concat', {}, 'concat')),
    });
  }
  return fixes;
}

/** `add`: the deepest input is the main path; each other input of another shape gets a 1×1 projection. */
function projectionFixes(design: Design, edges: DesignEdge[], shapes: Shape[], depth: Record<string, number>): Candidate[] {
  let main = 0;
  edges.forEach((e, i) => {
    if ((depth[e.source] ?? 0) > (depth[edges[main].source] ?? 0)) main = i;
  });
  const target = shapes[main];
  if (target.length !== 3) return [];
  const fixes: Candidate[] = [];
  edges.forEach((edge, i) => {
    const s = shapes[i];
    if (i === main || s.length !== 3 || s.every((d, j) => d === target[j])) return;
    const strideH = Math.ceil(s[0] / target[0]);
    const strideW = Math.ceil(s[1] / target[1]);
    if (Math.floor((s[0] - 1) / strideH) + 1 !== target[0] || Math.floor((s[1] - 1) / strideW) + 1 !== target[1]) return;
    const strideText = strideH > 1 || strideW > 1 ? ` stride ${strideH === strideW ? strideH : `${strideH}×${strideW}`}` : '';
    fixes.push({
      label: `Insert a 1×1 projection conv (${target[2]} filters${strideText}) on the input from ${edge.source}`,
      apply: (d) => placeOnEdge(d, edge, newNode(d, 'conv2d', {
        filters: target[2], kernelSize: 1, strides: int2Value([strideH, strideW]), padding: 'valid', useBias: false,
      }, 'projection')),
    });
  });
  return fixes;
}

/**
 * `concat` with inputs of different H×W. The H×W most inputs have (the first input's on a tie) is the target;
 * an input that is smaller because its layer pads 'valid' gets `padding: same`; an input larger by a whole
 * factor gets a max pool of that size and stride.
 */
function concatFixes(design: Design, edges: DesignEdge[], shapes: Shape[]): Candidate[] {
  if (shapes.some((s) => s.length !== 3)) return [];
  const count = new Map<string, number>();
  for (const s of shapes) count.set(`${s[0]}×${s[1]}`, (count.get(`${s[0]}×${s[1]}`) ?? 0) + 1);
  let best = shapes[0];
  for (const s of shapes) if ((count.get(`${s[0]}×${s[1]}`) ?? 0) > (count.get(`${best[0]}×${best[1]}`) ?? 0)) best = s;
  const [th, tw] = best;
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const fixes: Candidate[] = [];
  edges.forEach((edge, i) => {
    const [h, w] = shapes[i];
    // with other inputs still wrong the concat keeps an error: this input must then have the target H×W
    const check = (r: NodeAnalysis) => r.inputShapes?.[i]?.[0] === th && r.inputShapes?.[i]?.[1] === tw;
    if (h === th && w === tw) return;
    const src = byId.get(edge.source);
    const who = nameOf(src, edge.source);
    if (src && (h < th || w < tw) && getLayerKind(src.kind)?.params.padding && src.params.padding !== 'same') {
      fixes.push({
        label: `Set padding 'same' on ${who} (${h}×${w} → ${th}×${tw})`,
        apply: (d) => setNodeParams(d, src.id, { padding: 'same' }),
        check,
      });
    }
    if (h > th && w > tw && h % th === 0 && w % tw === 0) {
      const f: Pair = [h / th, w / tw];
      fixes.push({
        label: `Insert max pool ${formatPair(f)} /${formatPairShort(f)} on the input from ${who} (${h}×${w} → ${th}×${tw})`,
        apply: (d) => placeOnEdge(d, edge, newNode(d, 'maxPool2d', { poolSize: int2Value(f), strides: int2Value(f), padding: 'valid' }, 'pool')),
        check,
      });
    }
  });
  return fixes;
}

/** A pool whose explicit padding is above half its window: the largest padding it may have, per axis. */
function poolPaddingFixes(node: DesignNode): Candidate[] {
  const kind = getLayerKind(node.kind);
  const p: AnyParams | null = kind ? validateParams(kind.params, node.params).params : null;
  if (!p || !Array.isArray(p.padding) || !Array.isArray(p.poolSize)) return [];
  const poolWindow = p.poolSize as Pair;
  const pad = p.padding as Pair;
  const most: Pair = [Math.min(pad[0], Math.floor(poolWindow[0] / 2)), Math.min(pad[1], Math.floor(poolWindow[1] / 2))];
  return [{ label: `Set padding ${formatPairShort(most)} (at most half the ${poolWindow.join('×')} window)`, apply: (d) => setNodeParams(d, node.id, { padding: int2Value(most) }) }];
}

/** A kernel or pool window larger than its input: `padding: same`, or the largest window that fits. */
function windowFixes(node: DesignNode, input: Shape): Candidate[] {
  if (input.length !== 3) return [];
  const key = 'kernelSize' in node.params ? 'kernelSize' : 'poolSize' in node.params ? 'poolSize' : null;
  if (!key) return [];
  const kind = getLayerKind(node.kind);
  const p: AnyParams | null = kind ? validateParams(kind.params, node.params).params : null;
  if (!p) return [];
  // the parameters as the layer reads them (defaults filled in, single numbers made pairs)
  const kernel = p[key] as Pair;
  const strides = (p.strides ?? kernel) as Pair;
  const dilation = (p.dilation ?? [1, 1]) as Pair;
  const padding = p.padding as 'valid' | 'same' | Pair;
  const word = key === 'kernelSize' ? 'kernel' : 'pool window';
  const fixes: Candidate[] = [];
  if (padding !== 'same') {
    fixes.push({ label: `Set padding 'same' (keeps the ${word} ${kernel[0]}×${kernel[1]})`, apply: (d) => setNodeParams(d, node.id, { padding: 'same' }) });
  }
  // the largest window, per axis, that fits the input with the layer's own padding, stride and dilation
  const fit: Pair = [kernel[0], kernel[1]];
  for (const axis of [0, 1] as const) {
    while (fit[axis] > 1) {
      const trial: Pair = axis === 0 ? [fit[0], 1] : [1, fit[1]];
      if ('res' in windowOutput(input, { kernel: trial, strides, dilation, padding })) break;
      fit[axis]--;
    }
  }
  if (fit[0] !== kernel[0] || fit[1] !== kernel[1]) {
    const patch: Record<string, unknown> = { [key]: int2Value(fit) };
    // a pool's stride defaults to its window: keep the stride it had
    if (key === 'poolSize' && node.params.strides === undefined) patch.strides = int2Value(strides);
    fixes.push({
      label: `Use the largest ${word} that fits: ${fit[0]}×${fit[1]} (input ${input[0]}×${input[1]})`,
      apply: (d) => setNodeParams(d, node.id, patch),
    });
  }
  return fixes;
}

/**
 * `groups` that does not divide the input channels or the filters. A kind with groups but no filters (a channel
 * shuffle) keeps its channels: its groups need divide the input channels only.
 */
function groupsFixes(node: DesignNode, input: Shape): Candidate[] {
  const cin = input[input.length - 1];
  const filters = node.params.filters === undefined ? cin : Number(node.params.filters);
  const groups = Number(node.params.groups ?? 1);
  if (!Number.isInteger(filters) || !Number.isInteger(groups)) return [];
  const fixes: Candidate[] = [];
  const g = gcd(cin, filters);
  let best = 1;
  for (let d = 1; d <= Math.min(g, groups); d++) if (g % d === 0) best = d;
  if (best !== groups) {
    const divides = node.params.filters === undefined ? `${cin} input channels` : `${cin} input channels and ${filters} filters`;
    fixes.push({ label: `Set groups to ${best} (divides ${divides})`, apply: (d) => setNodeParams(d, node.id, { groups: best }) });
  }
  if (cin % groups === 0 && filters % groups !== 0) {
    const up = Math.ceil(filters / groups) * groups;
    fixes.push({ label: `Set filters to ${up} (a multiple of groups ${groups})`, apply: (d) => setNodeParams(d, node.id, { filters: up }) });
  }
  return fixes;
}

/**
 * A layer without (enough) inputs: a wire from the nearest layer above it that is not fed by it (a wire from
 * below would close a cycle) and does not feed it already. Up to two candidates, nearest first. A merge missing an
 * input is offered the branch ends that feed nothing, up to three, nearest first: a branch drawn beside the one
 * already wired is what a person means to merge, not a layer another one consumes already (the nearest layer
 * above is often the one just wired); only where no branch dangles is it the nearest layers above.
 */
function missingInputFixes(design: Design, node: DesignNode, edges: DesignEdge[], min: number): Candidate[] {
  if (!node.position) return [];
  const feeds = new Set(edges.map((e) => e.source));
  // the node's descendants: wiring one of them into it would make a cycle
  const below = new Set<string>([node.id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const e of design.edges) if (below.has(e.source) && !below.has(e.target)) { below.add(e.target); grew = true; }
  }
  const p = node.position;
  const above = design.nodes
    .filter((n) => n.position && n.position.y < p.y && !below.has(n.id) && !feeds.has(n.id))
    .map((n) => ({ n, dist: Math.hypot(n.position!.x - p.x, n.position!.y - p.y) }))
    .sort((a, b) => a.dist - b.dist);
  const consumed = new Set(design.edges.map((e) => e.source));
  const dangling = min > 1 ? above.filter(({ n }) => !consumed.has(n.id)) : [];
  const candidates = dangling.length ? dangling.slice(0, 3) : above.slice(0, edges.length + 1 < min ? 1 : 2);
  return candidates.map(({ n }) => ({
    label: `Connect ${nameOf(n, n.id)} → ${nameOf(node, node.id)}`,
    // the engine's one wiring rule (`connectNodes`) (a wire into a merge is its last input); a refused wire leaves the design as it was
    apply: (d) => {
      const r = connectNodes(d, n.id, node.id);
      return r.ok ? r.design : d;
    },
  }));
}
