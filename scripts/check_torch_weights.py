"""Runs exported PyTorch modules on the tfjs model's weights and input, and compares with tfjs's outputs.

Usage: /usr/bin/python3 scripts/check_torch_weights.py MANIFEST.json
The manifest lists {file, weights, inputs: [{file, shape}], outputs: [{file, shape}]}: raw float32 files,
shapes channels-last with the batch ([1, H, W, C] or [1, N]), as tfjs has them. Prints one JSON line per
module: the largest absolute difference, and the largest absolute tfjs value, over all outputs; the module's
parameter count (`params`) and batch-norm running mean + variance elements (`buffers`); or `error`, where the
module does not build, load or run.
"""
import importlib.util
import json
import sys

import numpy as np
import torch


def raw(entry):
    return torch.from_numpy(np.fromfile(entry["file"], dtype="<f4").reshape(entry["shape"]))


def check(entry):
    try:
        return run(entry)
    except Exception as e:  # noqa: BLE001 - reported per module, the others still run
        return {"file": entry["file"], "error": f"{type(e).__name__}: {str(e).strip()[:300]}"}


def run(entry):
    spec = importlib.util.spec_from_file_location("m", entry["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.load_convas_weights(mod.Model().eval(), entry["weights"])
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    xs = [raw(i) for i in entry["inputs"]]
    xs = [x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x for x in xs]
    with torch.no_grad():
        out = model(*xs)
    outs = out if isinstance(out, tuple) else (out,)
    return {"file": entry["file"], "params": params, "buffers": buffers, **compare(outs, entry["outputs"])}


def compare(outs, refs):
    """NCHW outputs against tfjs's channels-last raw files: the largest absolute difference and |value|."""
    diff, scale = 0.0, 0.0
    if len(outs) != len(refs):
        raise ValueError(f"{len(outs)} outputs, tfjs {len(refs)}")
    for o, ref in zip(outs, refs):
        r = raw(ref)
        o = o.permute(0, 2, 3, 1) if o.dim() == 4 else o
        if tuple(o.shape) != tuple(r.shape):
            raise ValueError(f"output shape {tuple(o.shape)} vs tfjs {tuple(r.shape)}")
        d = float((o - r).abs().max())
        diff = max(diff, float("inf") if d != d else d)  # NaN is a difference, not a pass
        scale = max(scale, float(r.abs().max()))
    return {"maxDiff": diff, "maxAbs": scale}


if __name__ == "__main__":
    torch.set_num_threads(2)
    for e in json.load(open(sys.argv[1])):
        print(json.dumps(check(e)), flush=True)
