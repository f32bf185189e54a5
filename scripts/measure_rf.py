#!/usr/bin/env python3
"""Receptive fields measured by back-propagation in PyTorch: the independent reference for docs/receptive-field.md.

Reads a JSON list of Convas designs on stdin (only the kinds that move a field: input, conv2d,
depthwiseConv2d, separableConv2d, maxPool2d, avgPool2d, zeroPad2d, upsample2d, cropping2d, add, concat, multiply,
globalAvgPool with keepDims, plus the identity-like batchNorm, activation, dropout), or {"designs": [...], "sweep": [...]}
to measure, per design, `sweep` further units down from the centre and right from it (a whole period of a decoder's
units). Builds each design here, from the contract's own words and independent of Convas's exporters:

- float64, every weight drawn from U(0.5, 1.5), biases 0, an all-ones input: every path contributes a
  positive amount, so a gradient is non-zero exactly where a unit can see;
- max pools are measured as average pools with the same window (a max pool's gradient reaches one pixel);
- `same` padding follows TensorFlow (total max((out-1)s + d(k-1) + 1 - in, 0), floor(total/2) before);
  explicit padding is PyTorch's symmetric padding; ceil mode is PyTorch's ceil_mode;
- nearest upsampling is F.interpolate(mode='nearest'); bilinear is written here as two interpolation matrices
  whose weights are exact fractions (PyTorch's align_corners=False: source (i + 1/2)/u - 1/2, clamped at 0 and
  n - 1), checked against F.interpolate(mode='bilinear') on every use, so a tap of weight exactly 0 has a gradient
  of exactly 0 (PyTorch's own kernel computes the weight in floating point, where 1/u can leave 1e-17);
- a kept-dims global average pool's output is held constant (detached), as the contract measures fields
  through global paths; a node after it reports whether it depends on one (`global`);
- inputs of a merge follow docs/design-format.md#input-order: targetPort k is input k, the rest fill free places in file order.

For every node with a spatial output it back-propagates from the centre output position (all its channels:
after a concat or a grouped convolution one channel sees only some paths) and from its
neighbour one step down and right (their distance shows the stride), and `sweep` more units each way where asked
(the dict form, whose rows end with the global flag), and reports, per unit, the first and last input row and column with a non-zero gradient (-1s for a unit that sees only padding):
  [ { "<nodeId>": [[i, j, rowMin, rowMax, colMin, colMax], ...], ... }, ... ]
Usage: python3 scripts/measure_rf.py < designs.json
"""

import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def ordered_inputs(design):
    """docs/design-format.md#input-order: an edge with targetPort k is input k; the others fill the free positions in file order."""
    into = {}
    for e in design['edges']:
        into.setdefault(e['target'], []).append(e)
    order = {}
    for target, edges in into.items():
        slots = [None] * len(edges)
        for e in edges:
            if 'targetPort' in e:
                slots[e['targetPort']] = e
        free = iter(i for i, s in enumerate(slots) if s is None)
        for e in edges:
            if 'targetPort' not in e:
                slots[next(free)] = e
        order[target] = [e['source'] for e in slots]
    return order


def topological(design, inputs):
    done, order = set(), []
    pending = [n['id'] for n in design['nodes']]
    while pending:
        rest = []
        for nid in pending:
            if all(s in done for s in inputs.get(nid, [])):
                done.add(nid)
                order.append(nid)
            else:
                rest.append(nid)
        if len(rest) == len(pending):
            raise ValueError('cycle')
        pending = rest
    return order


def pad_amounts(size, k, s, d, padding):
    """(before, after) zero padding of one axis, and whether PyTorch's own padding argument applies."""
    if padding == 'valid':
        return 0, 0
    if padding == 'same':
        out = math.ceil(size / s)
        total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
        return total // 2, total - total // 2
    return padding, padding


def window_layer(x, p, kind, weight_for):
    kh, kw = pair(p['kernelSize'] if 'kernelSize' in p else p['poolSize'])
    if kind in ('maxPool2d', 'avgPool2d'):
        sh, sw = pair(p.get('strides', [kh, kw]))
        dh, dw = 1, 1
    else:
        sh, sw = pair(p.get('strides', 1))
        dh, dw = pair(p.get('dilation', 1))
    padding = p.get('padding', 'valid')
    ph = padding if isinstance(padding, str) else pair(padding)[0]
    pw = padding if isinstance(padding, str) else pair(padding)[1]
    h, w = x.shape[2], x.shape[3]
    if kind in ('maxPool2d', 'avgPool2d'):
        if padding == 'same' or padding == 'valid':
            t, b = pad_amounts(h, kh, sh, 1, padding)
            l, r = pad_amounts(w, kw, sw, 1, padding)
            x = F.pad(x, (l, r, t, b))
            return F.avg_pool2d(x, (kh, kw), (sh, sw), ceil_mode=bool(p.get('ceilMode', False)))
        return F.avg_pool2d(x, (kh, kw), (sh, sw), padding=(ph, pw), ceil_mode=bool(p.get('ceilMode', False)),
                            count_include_pad=True)
    t, b = pad_amounts(h, kh, sh, dh, ph)
    l, r = pad_amounts(w, kw, sw, dw, pw)
    x = F.pad(x, (l, r, t, b))
    cin = x.shape[1]
    if kind == 'conv2d':
        groups = p.get('groups', 1)
        cout = p['filters']
    else:  # depthwiseConv2d, and the depthwise half of separableConv2d
        groups = cin
        cout = cin * p.get('depthMultiplier', 1)
    weight = weight_for((cout, cin // groups, kh, kw))
    y = F.conv2d(x, weight, None, (sh, sw), 0, (dh, dw), groups)
    if kind == 'separableConv2d':  # then the pointwise 1x1 to the filters
        y = F.conv2d(y, weight_for((p['filters'], cout, 1, 1)))
    return y


def bilinear_matrix(n, u):
    """[n*u, n] weights of PyTorch's align_corners=False bilinear upsampling by u along one axis, exact fractions."""
    from fractions import Fraction
    m = torch.zeros((n * u, n))
    for i in range(n * u):
        src = max(Fraction(2 * i + 1 - u, 2 * u), Fraction(0))
        lo = math.floor(src)
        lam = src - lo
        lo = min(lo, n - 1)
        hi = min(lo + 1, n - 1)
        m[i, lo] += float(1 - lam)
        if lam != 0:
            m[i, hi] += float(lam)
    return m


def upsample(x, p):
    sh, sw = pair(p.get('size', 2))
    if p.get('interpolation', 'nearest') == 'nearest':
        return F.interpolate(x, scale_factor=(sh, sw), mode='nearest')
    mh, mw = bilinear_matrix(x.shape[2], sh), bilinear_matrix(x.shape[3], sw)
    y = torch.einsum('ih,nchw,jw->ncij', mh, x, mw)
    ref = F.interpolate(x.detach(), scale_factor=(sh, sw), mode='bilinear', align_corners=False)
    assert torch.allclose(y.detach(), ref, atol=1e-12), 'bilinear matrices differ from PyTorch'
    return y


def build(design, gen):
    """The design as a function of its input image: node id -> output tensor (NCHW)."""
    inputs = ordered_inputs(design)
    order = topological(design, inputs)
    nodes = {n['id']: n for n in design['nodes']}
    weight_for = lambda shape: torch.rand(shape, generator=gen) + 0.5

    pooled = []

    def forward(x0):
        values = {}
        pooled.clear()
        for nid in order:
            n = nodes[nid]
            kind, p = n['kind'], n.get('params', {})
            xs = [values[s] for s in inputs.get(nid, [])]
            if kind == 'input':
                y = x0
            elif kind in ('conv2d', 'depthwiseConv2d', 'separableConv2d', 'maxPool2d', 'avgPool2d'):
                y = window_layer(xs[0], p, kind, weight_for)
            elif kind == 'zeroPad2d':
                ph, pw = pair(p['padding'])
                y = F.pad(xs[0], (pw, pw, ph, ph))
            elif kind == 'upsample2d':
                y = upsample(xs[0], p)
            elif kind == 'cropping2d':
                ch, cw = pair(p['cropping'])
                y = xs[0][:, :, ch:xs[0].shape[2] - ch, cw:xs[0].shape[3] - cw]
            elif kind == 'globalAvgPool':
                # held constant: the field of a global path is measured with it detached (contract 5)
                y = xs[0].mean(dim=(2, 3), keepdim=True).detach().requires_grad_()
                pooled.append(y)
            elif kind == 'multiply':
                y = xs[0]
                for z in xs[1:]:
                    y = y * z
            elif kind == 'add':
                y = sum(xs[1:], xs[0])
            elif kind == 'concat':
                y = torch.cat(xs, dim=1)
            elif kind in ('batchNorm', 'activation', 'dropout'):
                y = xs[0]
            else:
                raise ValueError(f'measure_rf.py does not build kind {kind}')
            values[nid] = y
        return values, pooled

    return forward


def measure(design, gen, sweep=0, with_global=False):
    inp = next(n for n in design['nodes'] if n['kind'] == 'input')
    h, w, c = inp['params']['shape']
    forward = build(design, gen)
    x = torch.ones((1, c, h, w), requires_grad=True)
    values, pooled = forward(x)
    report = {}
    for nid, y in values.items():
        if y.dim() != 4 or any(y is v for v in pooled):
            continue
        ho, wo = y.shape[2], y.shape[3]
        ci, cj = (ho - 1) // 2, (wo - 1) // 2
        units = {(ci, cj), (min(ci + 1, ho - 1), min(cj + 1, wo - 1))}
        units |= {(min(ci + k, ho - 1), cj) for k in range(sweep + 1)} | {(ci, min(cj + k, wo - 1)) for k in range(sweep + 1)}
        rows = []
        for i, j in sorted(units):
            grads = torch.autograd.grad(y[0, :, i, j].sum(), [x, *pooled], retain_graph=True, allow_unused=True)
            g = grads[0]
            # a unit that depends on a pooled (held) value sees every pixel through it
            through_global = any(q is not None and bool((q != 0).any()) for q in grads[1:])
            if g is None:  # only global paths reach it
                rows.append([i, j, -1, -1, -1, -1] + ([int(through_global)] if with_global else []))
                continue
            seen = g[0].abs().sum(dim=0) > 0
            rs = torch.nonzero(seen.any(dim=1)).flatten()
            cs = torch.nonzero(seen.any(dim=0)).flatten()
            if len(rs) == 0:  # the unit sees only padding
                rows.append([i, j, -1, -1, -1, -1] + ([int(through_global)] if with_global else []))
            else:
                rows.append([i, j, int(rs.min()), int(rs.max()), int(cs.min()), int(cs.max())] + ([int(through_global)] if with_global else []))
        report[nid] = rows
    return report


def main():
    given = json.load(sys.stdin)
    designs = given['designs'] if isinstance(given, dict) else given
    sweeps = given['sweep'] if isinstance(given, dict) else [0] * len(designs)
    gen = torch.Generator().manual_seed(0)
    json.dump([measure(d, gen, k, isinstance(given, dict)) for d, k in zip(designs, sweeps)], sys.stdout)


if __name__ == '__main__':
    main()
