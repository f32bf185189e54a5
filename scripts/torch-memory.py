#!/usr/bin/env python3
"""torchinfo's memory figures, measured on real PyTorch tensors (torchinfo itself is not needed).

For each torchvision network below, runs one batch of random images (N x 3 x 224 x 224) under torch.no_grad
with a forward hook on every leaf module (a module without children), and applies torchinfo's rules to the
tensors the hooks see (torchinfo.model_statistics.ModelStatistics, float32):

- input size:                 4 * numel(input batch)
- params size:                4 * sum of parameter sizes
- forward/backward pass size: 2 * 4 * sum over leaf modules that have parameters of numel(their output)
- batch-norm statistics:      4 * numel(running_mean + running_var) (the contract adds these to the total)

Prints JSON on stdout: { "<preset file>": { "<batch>": { "inputBytes", "paramBytes", "forwardBackwardBytes",
"bufferBytes" } } }. Usage: python3 scripts/torch-memory.py [BATCH ...]   (default: 1 3)

With --export, measures a PyTorch module Convas exported instead (`convas export --to pytorch`, its `Model`) on
random inputs of the given channels-last shapes (one H,W,C per input, in the forward's order) and prints
{ "<batch>": { ... } }: python3 scripts/torch-memory.py --export model.py 32,32,3 [--batch 1 3]
"""

import json
import sys

import torch
import torchvision.models as tvm

MODELS = {
    'resnet18.convas.json': lambda: tvm.resnet18(),
    'resnet50.convas.json': lambda: tvm.resnet50(),
    'vgg16.convas.json': lambda: tvm.vgg16(),
    'densenet121.convas.json': lambda: tvm.densenet121(),
}


def measure(model, batch, shapes=((224, 224, 3),)):
    model.eval()
    out_elems = []

    def hook(module, _inputs, output):
        if any(p.numel() for p in module.parameters(recurse=False)):
            out_elems.append(output.numel())

    handles = [m.register_forward_hook(hook) for m in model.modules() if not list(m.children())]
    xs = [torch.rand(batch, c, h, w) for h, w, c in shapes]
    with torch.no_grad():
        model(*xs)
    for h in handles:
        h.remove()
    buffers = sum(b.numel() for name, b in model.named_buffers() if name.endswith(('running_mean', 'running_var')))
    return {
        'inputBytes': 4 * sum(x.numel() for x in xs),
        'paramBytes': 4 * sum(p.numel() for p in model.parameters()),
        'forwardBackwardBytes': 2 * 4 * sum(out_elems),
        'bufferBytes': 4 * buffers,
    }


def measure_export(args):
    """--export FILE.py H,W,C ... [--batch B ...]: the exported module's figures per batch."""
    import importlib.util
    batch_at = args.index('--batch') if '--batch' in args else len(args)
    path, shapes = args[0], [tuple(int(d) for d in s.split(',')) for s in args[1:batch_at]]
    batches = [int(b) for b in args[batch_at + 1:]] or [1]
    spec = importlib.util.spec_from_file_location('convas_export', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.Model()
    return {str(b): measure(model, b, shapes) for b in batches}


def main():
    if sys.argv[1:2] == ['--export']:
        torch.manual_seed(0)
        json.dump(measure_export(sys.argv[2:]), sys.stdout, indent=1)
        return
    batches = [int(b) for b in sys.argv[1:]] or [1, 3]
    torch.manual_seed(0)
    result = {}
    for name, build in MODELS.items():
        model = build()
        result[name] = {str(b): measure(model, b) for b in batches}
    json.dump(result, sys.stdout, indent=1)


if __name__ == '__main__':
    main()
