"""Runs exported PyTorch modules on the tfjs model's weights and input, and compares with tfjs's outputs.

Usage: /usr/bin/python3 scripts/check_torch_weights.py MANIFEST.json
The manifest lists {file, weights, inputs: [{file, shape}], outputs: [{file, shape}]}: raw float32 files,
shapes channels-last with the batch ([1, H, W, C] or [1, N]), as tfjs has them. Prints one JSON line per
module: the largest absolute difference, and the largest absolute tfjs value, over all outputs.
"""
import importlib.util
import json
import sys

import numpy as np
import torch


def raw(entry):
    return torch.from_numpy(np.fromfile(entry["file"], dtype="<f4").reshape(entry["shape"]))


def check(entry):
    spec = importlib.util.spec_from_file_location("m", entry["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.load_convas_weights(mod.Model().eval(), entry["weights"])
    xs = [raw(i) for i in entry["inputs"]]
    xs = [x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x for x in xs]
    with torch.no_grad():
        out = model(*xs)
    outs = out if isinstance(out, tuple) else (out,)
    return {"file": entry["file"], **compare(outs, entry["outputs"])}


def compare(outs, refs):
    """NCHW outputs against tfjs's channels-last raw files: the largest absolute difference and |value|."""
    diff, scale = 0.0, 0.0
    for o, ref in zip(outs, refs):
        r = raw(ref)
        o = o.permute(0, 2, 3, 1) if o.dim() == 4 else o
        diff = max(diff, float((o - r).abs().max()))
        scale = max(scale, float(r.abs().max()))
    return {"maxDiff": diff, "maxAbs": scale}


if __name__ == "__main__":
    torch.set_num_threads(2)
    for e in json.load(open(sys.argv[1])):
        print(json.dumps(check(e)), flush=True)
