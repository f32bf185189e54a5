"""Checks exported PyTorch modules against Convas's analysis.

Usage: /usr/bin/python3 scripts/check_torch.py MANIFEST.json
The manifest lists {file, inputs: [[C, H, W] | [N], ...], trainable, nonTrainable, outputs: [shape, ...]}
(shapes in PyTorch's NCHW order, without the batch). For each module: parameter count == trainable,
batch-norm running mean + variance == nonTrainable, and a forward pass on zeros gives the output shapes.
Prints one JSON line per module and exits 1 if any check failed.
"""
import importlib.util
import json
import sys

import torch


def check(entry):
    spec = importlib.util.spec_from_file_location("m", entry["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.Model().eval()
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    with torch.no_grad():
        out = model(*[torch.zeros(1, *s) for s in entry["inputs"]])
    outs = out if isinstance(out, tuple) else (out,)
    shapes = [list(o.shape[1:]) for o in outs]
    ok = params == entry["trainable"] and buffers == entry["nonTrainable"] and shapes == entry["outputs"]
    return {"file": entry["file"], "ok": ok, "params": params, "buffers": buffers, "shapes": shapes}


if __name__ == "__main__":
    torch.set_num_threads(2)
    results = [check(e) for e in json.load(open(sys.argv[1]))]
    for r in results:
        print(json.dumps(r))
    sys.exit(0 if all(r["ok"] for r in results) else 1)
