"""Exports torchvision models (weights=None, seeded) and small modules to ONNX with torch.onnx.export, for the ONNX
reader's reference tests (src/drivers/import/onnx-import.test.ts) and its timing (scripts/time-onnx-import.ts).

usage: python3 export_onnx_models.py OUT_DIR NAME[:OPSET][:kept] ...
Writes OUT_DIR/<NAME>[_o<OPSET>][_kept].onnx and, beside it, .json with the model's output shapes (NCHW, batch 1)
the number of weight elements PyTorch's state dict holds (buffers such as BN's num_batches_tracked left out), and
the weight elements of the ONNX file itself, counted by the onnx package: float initializers of more than one
element (weights, not shapes or constants of one element: docs/interop.md#onnx-import), once per tensor and once per use.
`kept` exports with TrainingMode.PRESERVE on the eval-mode model, so batch norm stays a BatchNormalization node.
"""

import json
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

SIZE = {'resnet50': 224}


class SmallNet(nn.Module):
    """Pad before a conv and a pool, ceil-mode pools, LeakyReLU, Tanh, ReLU6, hardswish, a CHW flatten into Linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2)
        self.act1 = nn.LeakyReLU(0.1)
        self.pool = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv2 = nn.Conv2d(8, 12, 3, padding=1, groups=4)
        self.bn = nn.BatchNorm2d(12)
        self.avg = nn.AvgPool2d(3, 1, padding=1)
        self.dw = nn.Conv2d(12, 24, 3, padding=2, dilation=2, groups=12, bias=False)
        self.fc = nn.Linear(24 * 4 * 4, 10)

    def forward(self, x):
        x = F.pad(x, (1, 1, 1, 1))
        x = self.pool(self.act1(self.conv1(x)))
        x = torch.tanh(self.bn(self.conv2(x)))
        x = F.relu6(self.avg(x))
        x = F.hardswish(self.dw(x))
        x = F.avg_pool2d(x, 4)
        return F.softmax(self.fc(torch.flatten(x, 1)), dim=1)


def convnext_block():
    from torchvision.models.convnext import CNBlock
    torch.manual_seed(0)
    block = CNBlock(32, layer_scale=0.5, stochastic_depth_prob=0.0)
    # a layer scale that is not one value, so a misplaced channel shows
    with torch.no_grad():
        block.layer_scale.uniform_(0.5, 1.5)
    return nn.Sequential(nn.Conv2d(3, 32, 4, stride=4), block)


def build(name):
    torch.manual_seed(0)
    if name == 'small':
        return SmallNet()
    if name == 'convnext_block':
        return convnext_block()
    if name == 'convnext_tiny':
        return torchvision.models.convnext_tiny(weights=None)
    return getattr(torchvision.models, name)(weights=None)


def randomize_bn(model):
    """Batch norm statistics away from 0/1, so a misplaced or unfolded statistic shows in the outputs."""
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                m.bias.copy_(torch.rand(m.bias.shape, generator=g) - 0.5)
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.copy_(torch.rand(m.running_mean.shape, generator=g) - 0.5)
                    m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)


def main():
    out = sys.argv[1]
    for spec in sys.argv[2:]:
        parts = spec.split(':')
        name = parts[0]
        opset = int(parts[1]) if len(parts) > 1 and parts[1] else 13
        kept = 'kept' in parts[2:]
        model = build(name).eval()
        randomize_bn(model)
        size = SIZE.get(name, 64)
        x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(2))
        stem = f'{out}/{name}_o{opset}{"_kept" if kept else ""}'
        mode = torch.onnx.TrainingMode.PRESERVE if kept else torch.onnx.TrainingMode.EVAL
        torch.onnx.export(model, x, f'{stem}.onnx', opset_version=opset, training=mode,
                          do_constant_folding=True, input_names=['input'], output_names=['output'])
        with torch.no_grad():
            y = model(x)
        weights = sum(v.numel() for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked'))
        graph = onnx.load(f'{stem}.onnx').graph
        floats = [t for t in graph.initializer if t.data_type == onnx.TensorProto.FLOAT]
        sizes = {t.name: int(np.prod(t.dims)) for t in floats if int(np.prod(t.dims)) > 1}
        onnx_weights = sum(sizes.values())
        # the exporter stores equal tensors once (zero-initialized biases of weights=None models): counted per use,
        # each layer's own parameters as PyTorch counts them
        uses = sum(sizes.get(i, 0) for n in graph.node for i in n.input)
        with open(f'{stem}.json', 'w') as f:
            json.dump({'input': list(x.shape), 'output': list(y.shape), 'stateDictElements': weights,
                       'onnxWeightElements': onnx_weights, 'onnxWeightUses': uses}, f)
        print(stem)


if __name__ == '__main__':
    main()
