#!/usr/bin/env python3
"""PyTorch as an oracle for the presets.

Builds the reference networks the presets follow (torchvision models, plus small PyTorch re-creations of the
2012 AlexNet and of Keras Applications ResNet50 and Xception), runs one 1x3x224x224 (227 for AlexNet 2012, 299 for
Xception) input through each
under torch.no_grad with forward hooks, and prints JSON on stdout:

  { "torch": "1.13.0", "torchvision": "0.14.1",
    "models": { "<preset file>": { "trainable": ..., "nonTrainable": ..., "macs": ...,
                                   "shapes": { "<module name>": [H, W, C] or [N], ... },
                                   "params": { "<owner>": [trainable, non-trainable], ... } } } }

- trainable: sum of parameter sizes (what PyTorch counts); nonTrainable: batch-norm running mean + variance
  (Keras's non-trainable weights; num_batches_tracked is left out).
- macs: counted in the hooks, Conv2d as out_h*out_w*out_c*kh*kw*in_c/groups and Linear as in*out per output
  position (one for a flat vector; every pixel for ConvNeXt's Linears on a channels-last map).
- shapes: channels-last output shape of every module called exactly once, under its module name (VGG-16's
  torchvision names are translated to the Keras names the preset uses).
- params: [trainable, non-trainable] per owner: a module's weight and bias (and running statistics) under the
  module's name, any other parameter (ConvNeXt's layer_scale) under its own full name.

With --values EXPORTED.py PRESET it instead checks values: it loads the torchvision model the preset follows
(every weight redrawn at unit gain, biases, norms, layer scales and batch-norm statistics spread, so that every
gate and every block counts), copies its
weights by name into the PyTorch module Convas exported for the preset (`features.4.block.2.fc1.weight` →
`features_4_block_2_fc1.weight`; a Linear's [out, in] into a 1x1 conv's [out, in, 1, 1]; a free parameter such as
`layer_scale` into the scale node's `gamma`), runs both on one random input and prints
{"maxDiff": ..., "maxAbs": ...}.

With --rf it instead measures receptive fields from gradients (see rf_ready) for a few layers and prints them
as {size, stride, padding}; presets.test.ts asserts the values it gave (slow: several minutes on a CPU).
Usage: python3 scripts/torch-oracle.py [--rf | --values EXPORTED.py PRESET]
"""

import json
import re
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torchvision
import torchvision.models as tvm
import torchvision.models.segmentation as tvs


def module_net(m, forward):
    """An nn.Module holding the ModuleDict `m` (state-dict keys and module names 'm.<name>') whose forward is
    `forward(x)`: the re-creations below write their layers into `m` and their graph as a plain function."""

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, x):
            return forward(x)

    return Net()


def keras_resnet50():
    """Keras Applications ResNet50 in PyTorch: stride on the first 1x1, convs with bias, BN eps 1.001e-5."""
    m = nn.ModuleDict()
    bn = lambda c: nn.BatchNorm2d(c, eps=1.001e-5)
    m['conv1_pad'] = nn.ZeroPad2d(3)
    m['conv1_conv'] = nn.Conv2d(3, 64, 7, stride=2)
    m['conv1_bn'] = bn(64)
    m['conv1_relu'] = nn.ReLU()
    m['pool1_pad'] = nn.ZeroPad2d(1)
    m['pool1_pool'] = nn.MaxPool2d(3, 2)
    plan = []
    cin = 64
    for stage, (width, count, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)], start=2):
        for i in range(1, count + 1):
            p = f'conv{stage}_block{i}'
            s = stride if i == 1 else 1
            if i == 1:
                m[f'{p}_0_conv'] = nn.Conv2d(cin, 4 * width, 1, stride=s)
                m[f'{p}_0_bn'] = bn(4 * width)
            m[f'{p}_1_conv'] = nn.Conv2d(cin, width, 1, stride=s)
            m[f'{p}_1_bn'] = bn(width)
            m[f'{p}_1_relu'] = nn.ReLU()
            m[f'{p}_2_conv'] = nn.Conv2d(width, width, 3, padding=1)
            m[f'{p}_2_bn'] = bn(width)
            m[f'{p}_2_relu'] = nn.ReLU()
            m[f'{p}_3_conv'] = nn.Conv2d(width, 4 * width, 1)
            m[f'{p}_3_bn'] = bn(4 * width)
            m[f'{p}_out'] = nn.ReLU()
            plan.append((p, i == 1))
            cin = 4 * width
    m['avg_pool'] = nn.AdaptiveAvgPool2d(1)
    m['predictions'] = nn.Linear(2048, 1000)

    def forward(x):
        for k in ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool']:
            x = m[k](x)
        for p, project in plan:
            s = m[f'{p}_0_bn'](m[f'{p}_0_conv'](x)) if project else x
            y = x
            for k in ['1_conv', '1_bn', '1_relu', '2_conv', '2_bn', '2_relu', '3_conv', '3_bn']:
                y = m[f'{p}_{k}'](y)
            x = m[f'{p}_out'](s + y)
        return m['predictions'](torch.flatten(m['avg_pool'](x), 1))

    return module_net(m, forward), 'm.'


def keras_xception():
    """Keras Applications Xception in PyTorch, written from keras/applications/xception.py: SeparableConv2D is a
    depthwise 3x3 (groups = channels, no bias) then a 1x1, convs without bias, BN eps 1e-3, TensorFlow's 'same'
    padding (stride-2 max pools pad with -inf, more after than before where the total is odd)."""
    import math
    import torch.nn.functional as F

    class SeparableConv2d(nn.Module):
        def __init__(self, cin, cout):
            super().__init__()
            self.depthwise = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
            self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)

        def forward(self, x):
            return self.pointwise(self.depthwise(x))

    class SameMaxPool(nn.Module):
        def forward(self, x):
            pads = []
            for n in (x.shape[3], x.shape[2]):
                total = max((math.ceil(n / 2) - 1) * 2 + 3 - n, 0)
                pads += [total // 2, total - total // 2]
            return F.max_pool2d(F.pad(x, pads, value=float('-inf')), 3, 2)

    m = nn.ModuleDict()
    bn = lambda c: nn.BatchNorm2d(c, eps=1e-3)
    m['block1_conv1'] = nn.Conv2d(3, 32, 3, stride=2, bias=False)
    m['block1_conv1_bn'] = bn(32)
    m['block1_conv2'] = nn.Conv2d(32, 64, 3, bias=False)
    m['block1_conv2_bn'] = bn(64)
    down = []  # (block, widths, relu first, shortcut conv name, shortcut bn name, add name)
    cin = 64
    for k, (block, widths) in enumerate([(2, (128, 128)), (3, (256, 256)), (4, (728, 728)), (13, (728, 1024))]):
        sfx = '' if k == 0 else f'_{k}'
        m[f'conv2d{sfx}'] = nn.Conv2d(cin, widths[1], 1, stride=2, bias=False)
        m[f'batch_normalization{sfx}'] = bn(widths[1])
        m[f'block{block}_sepconv1'] = SeparableConv2d(cin, widths[0])
        m[f'block{block}_sepconv1_bn'] = bn(widths[0])
        m[f'block{block}_sepconv2'] = SeparableConv2d(widths[0], widths[1])
        m[f'block{block}_sepconv2_bn'] = bn(widths[1])
        m[f'block{block}_pool'] = SameMaxPool()
        down.append((block, block != 2, sfx))
        cin = widths[1]
    for block in range(5, 13):
        for i in (1, 2, 3):
            m[f'block{block}_sepconv{i}'] = SeparableConv2d(728, 728)
            m[f'block{block}_sepconv{i}_bn'] = bn(728)
    m['block14_sepconv1'] = SeparableConv2d(1024, 1536)
    m['block14_sepconv1_bn'] = bn(1536)
    m['block14_sepconv2'] = SeparableConv2d(1536, 2048)
    m['block14_sepconv2_bn'] = bn(2048)
    m['avg_pool'] = nn.AdaptiveAvgPool2d(1)
    m['predictions'] = nn.Linear(2048, 1000)

    def down_block(x, block, relu_first, sfx):
        s = m[f'batch_normalization{sfx}'](m[f'conv2d{sfx}'](x))
        y = torch.relu(x) if relu_first else x
        y = torch.relu(m[f'block{block}_sepconv1_bn'](m[f'block{block}_sepconv1'](y)))
        y = m[f'block{block}_pool'](m[f'block{block}_sepconv2_bn'](m[f'block{block}_sepconv2'](y)))
        return y + s

    def forward(x):
        x = torch.relu(m['block1_conv1_bn'](m['block1_conv1'](x)))
        x = torch.relu(m['block1_conv2_bn'](m['block1_conv2'](x)))
        for block, relu_first, sfx in down[:3]:
            x = down_block(x, block, relu_first, sfx)
        for block in range(5, 13):
            y = x
            for i in (1, 2, 3):
                y = m[f'block{block}_sepconv{i}_bn'](m[f'block{block}_sepconv{i}'](torch.relu(y)))
            x = x + y
        x = down_block(x, *down[3])
        x = torch.relu(m['block14_sepconv1_bn'](m['block14_sepconv1'](x)))
        x = torch.relu(m['block14_sepconv2_bn'](m['block14_sepconv2'](x)))
        return m['predictions'](torch.flatten(m['avg_pool'](x), 1))

    return module_net(m, forward), 'm.'


def alexnet_2012():
    """Krizhevsky et al. 2012 with Caffe's layer names: groups 2 on conv2, conv4, conv5, LRN after conv1 and conv2."""
    lrn = lambda: nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)  # PyTorch divides alpha by n
    net = nn.Sequential(OrderedDict([
        ('conv1', nn.Conv2d(3, 96, 11, stride=4)), ('relu1', nn.ReLU()), ('norm1', lrn()), ('pool1', nn.MaxPool2d(3, 2)),
        ('conv2', nn.Conv2d(96, 256, 5, padding=2, groups=2)), ('relu2', nn.ReLU()), ('norm2', lrn()), ('pool2', nn.MaxPool2d(3, 2)),
        ('conv3', nn.Conv2d(256, 384, 3, padding=1)), ('relu3', nn.ReLU()),
        ('conv4', nn.Conv2d(384, 384, 3, padding=1, groups=2)), ('relu4', nn.ReLU()),
        ('conv5', nn.Conv2d(384, 256, 3, padding=1, groups=2)), ('relu5', nn.ReLU()), ('pool5', nn.MaxPool2d(3, 2)),
        ('flatten', nn.Flatten()),
        ('fc6', nn.Linear(9216, 4096)), ('relu6', nn.ReLU()), ('drop6', nn.Dropout()),
        ('fc7', nn.Linear(4096, 4096)), ('relu7', nn.ReLU()), ('drop7', nn.Dropout()),
        ('fc8', nn.Linear(4096, 1000)),
    ]))
    return net, ''


def vgg16_keras_names():
    names = {}
    i = 0
    for block, convs in enumerate([2, 2, 3, 3, 3], start=1):
        for c in range(1, convs + 1):
            names[f'features.{i}'] = f'block{block}_conv{c}'
            i += 2
        names[f'features.{i}'] = f'block{block}_pool'
        i += 1
    names.update({'classifier.0': 'fc1', 'classifier.3': 'fc2', 'classifier.6': 'predictions'})
    return names


def unet_2015():
    """U-Net as Ronneberger et al. 2015 Fig. 1 draws it: valid 3x3 convs with ReLU, 2x2 max pools, 2x2 up-convolutions
    (ConvTranspose2d, stride 2), the encoder map centre-cropped and concatenated before the decoder's convs
    (cropped map first), a 1x1 to 2 classes. Module names are the preset's node ids."""
    m = nn.ModuleDict()
    widths = [64, 128, 256, 512, 1024]
    cin = 1
    for i, w in enumerate(widths, start=1):
        m[f'enc{i}_conv1'] = nn.Conv2d(cin, w, 3)
        m[f'enc{i}_conv2'] = nn.Conv2d(w, w, 3)
        if i < len(widths):
            m[f'pool{i}'] = nn.MaxPool2d(2)
        cin = w
    for i in range(4, 0, -1):
        w = widths[i - 1]
        m[f'up{i}'] = nn.ConvTranspose2d(2 * w, w, 2, stride=2)
        m[f'dec{i}_conv1'] = nn.Conv2d(2 * w, w, 3)
        m[f'dec{i}_conv2'] = nn.Conv2d(w, w, 3)
    m['head'] = nn.Conv2d(64, 2, 1)
    relu = torch.relu

    def forward(x):
        skips = []
        for i in range(1, 6):
            x = relu(m[f'enc{i}_conv2'](relu(m[f'enc{i}_conv1'](x))))
            if i < 5:
                skips.append(x)
                x = m[f'pool{i}'](x)
        for i in range(4, 0, -1):
            x = m[f'up{i}'](x)
            s = skips[i - 1]
            c = (s.shape[-1] - x.shape[-1]) // 2
            x = torch.cat([s[..., c:s.shape[-2] - c, c:s.shape[-1] - c], x], dim=1)
            x = relu(m[f'dec{i}_conv2'](relu(m[f'dec{i}_conv1'](x))))
        return m['head'](x)

    return module_net(m, forward), 'm.'


def autoencoder():
    """The teaching autoencoder: 3x3 stride-2 convs down to a 1x1 bottleneck of 4 channels, ConvTranspose2d(3, 2,
    padding=1, output_padding=1) back up, a 3x3 with a sigmoid. Module names are the preset's node ids."""
    m = nn.ModuleDict({
        'enc1': nn.Conv2d(1, 16, 3, 2, 1), 'enc2': nn.Conv2d(16, 32, 3, 2, 1), 'code': nn.Conv2d(32, 4, 1),
        'dec1': nn.ConvTranspose2d(4, 32, 3, 2, 1, output_padding=1),
        'dec2': nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), 'out': nn.Conv2d(16, 1, 3, 1, 1),
    })

    def forward(x):
        for name in ('enc1', 'enc2', 'code', 'dec1', 'dec2'):
            x = torch.relu(m[name](x))
        return torch.sigmoid(m['out'](x))

    return module_net(m, forward), 'm.'


def segmentation(build, **kwargs):
    """A torchvision segmentation model without pretrained weights (and without the auxiliary head)."""
    return lambda: (build(weights=None, weights_backbone=None, **kwargs), '')


def models():
    """(preset file, constructor returning (net, module-name prefix to strip), input size (or (channels, size) where
    the input is not RGB), module-name map)."""
    return [
        ('alexnet.convas.json', lambda: (tvm.alexnet(), ''), 224, {}),
        ('alexnet-2012.convas.json', alexnet_2012, 227, {}),
        ('vgg16.convas.json', lambda: (tvm.vgg16(), ''), 224, vgg16_keras_names()),
        ('googlenet.convas.json', lambda: (tvm.googlenet(aux_logits=False, init_weights=False), ''), 224, {}),
        ('resnet18.convas.json', lambda: (tvm.resnet18(), ''), 224, {}),
        ('resnet50.convas.json', lambda: (tvm.resnet50(), ''), 224, {}),
        ('resnet50-keras.convas.json', keras_resnet50, 224, {}),
        ('densenet121.convas.json', lambda: (tvm.densenet121(), ''), 224, {}),
        ('xception.convas.json', keras_xception, 299, {}),
        ('mobilenet-v3-large.convas.json', lambda: (tvm.mobilenet_v3_large(), ''), 224, {}),
        ('convnext-tiny.convas.json', lambda: (tvm.convnext_tiny(), ''), 224, {}),
        ('efficientnet-b0.convas.json', lambda: (tvm.efficientnet_b0(), ''), 224, {}),
        ('shufflenet-v2-x1.convas.json', lambda: (tvm.shufflenet_v2_x1_0(), ''), 224, {}),
        ('regnet-y-400mf.convas.json', lambda: (tvm.regnet_y_400mf(), ''), 224, {}),
        ('unet.convas.json', unet_2015, (1, 572), {}),
        ('fcn-resnet50.convas.json', segmentation(tvs.fcn_resnet50, aux_loss=False), 224, {}),
        ('deeplabv3-mobilenet-v3-large.convas.json', segmentation(tvs.deeplabv3_mobilenet_v3_large, aux_loss=False), 224, {}),
        ('lraspp-mobilenet-v3-large.convas.json', segmentation(tvs.lraspp_mobilenet_v3_large), 224, {}),
        ('autoencoder.convas.json', autoencoder, (1, 28), {}),
    ]


def channels_last(shape, already=False):
    s = list(shape)[1:]
    return [s[1], s[2], s[0]] if len(s) == 3 and not already else s


def nhwc_output(name, classes):
    """Whether module `name`'s 4-D output is already channels-last: inside a ConvNeXt `CNBlock`, `block.1` (a
    Permute to NHWC) through `block.5` (the second Linear); `block.6` permutes back."""
    parent, sep, index = name.rpartition('.block.')
    return bool(sep) and classes.get(parent) == 'CNBlock' and index in ('1', '2', '3', '4', '5')


def parameter_owners(net, strip, names):
    """Trainable and non-trainable counts per node-to-be: a module's `weight` and `bias` (and batch norm's running
    mean and variance) belong to the module; any other parameter (ConvNeXt's `layer_scale`) is its own entry under
    its full name, as the presets give it its own node."""
    owners = {}

    def key(name):
        k = name[len(strip):] if strip and name.startswith(strip) else name
        return names.get(k, k)

    for name, p in net.named_parameters():
        mod, _, leaf = name.rpartition('.')
        k = key(mod if leaf in ('weight', 'bias') else name)
        owners.setdefault(k, [0, 0])[0] += p.numel()
    for name, b in net.named_buffers():
        mod, _, leaf = name.rpartition('.')
        if leaf in ('running_mean', 'running_var'):
            owners.setdefault(key(mod), [0, 0])[1] += b.numel()
    return owners


def input_chw(size):
    """(channels, height, width) of a model's input: `size` is a side (RGB) or (channels, side)."""
    channels, side = size if isinstance(size, tuple) else (3, size)
    return channels, side, side


def probe(build, size, names):
    net, strip = build()
    net.eval()
    calls, shapes, macs = {}, {}, [0]
    classes = {n: type(m).__name__ for n, m in net.named_modules()}

    def hook(name):
        def fn(mod, inp, out):
            calls[name] = calls.get(name, 0) + 1
            if isinstance(out, torch.Tensor):
                shapes[name] = channels_last(out.shape, nhwc_output(name, classes))
            if isinstance(mod, nn.ConvTranspose2d):
                # Every input pixel meets every tap once (docs/analysis.md#macs, as ptflops counts a deconvolution).
                kh, kw = mod.kernel_size
                macs[0] += inp[0].numel() * kh * kw * mod.out_channels // mod.groups
            elif isinstance(mod, nn.Conv2d):
                kh, kw = mod.kernel_size
                macs[0] += out.numel() * kh * kw * mod.in_channels // mod.groups
            elif isinstance(mod, nn.Linear):
                # Once per output position: a Linear on a channels-last map (ConvNeXt) runs at every pixel.
                macs[0] += out.numel() // mod.out_features * mod.in_features * mod.out_features
        return fn

    for name, mod in net.named_modules():
        if name:
            mod.register_forward_hook(hook(name))
    with torch.no_grad():
        net(torch.zeros(1, *input_chw(size)))
    out = {}
    for name, shape in shapes.items():
        if calls[name] != 1:
            continue  # a module called more than once (torchvision's shared ReLUs) has no single shape
        key = name[len(strip):] if strip and name.startswith(strip) else name
        out[names.get(key, key)] = shape
    trainable = sum(p.numel() for p in net.parameters())
    stats = sum(b.numel() for n, b in net.named_buffers() if n.endswith('running_mean') or n.endswith('running_var'))
    return {'trainable': trainable, 'nonTrainable': stats, 'macs': macs[0], 'shapes': out,
            'params': parameter_owners(net, strip, names)}


def rf_ready(net, dtype=torch.float64):
    """
    Prepares a network for measuring receptive fields from gradients: every weight positive, batch norm an
    identity, max pools swapped for average pools of the same geometry (a max sends its gradient to one input
    only). With a positive input, d(output unit)/d(input pixel) is then non-zero exactly on the pixels the unit
    sees.
    """
    net = net.to(dtype).eval()
    for mod in list(net.modules()):
        for cname, child in list(mod.named_children()):
            if isinstance(child, nn.MaxPool2d):
                setattr(mod, cname, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, child.ceil_mode))
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, (nn.Conv2d, nn.Linear)):
                mod.weight.fill_(1.0 / mod.weight[0].numel())
                if mod.bias is not None:
                    mod.bias.zero_()
            elif isinstance(mod, nn.BatchNorm2d):
                mod.weight.fill_(1.0)
                mod.bias.zero_()
                mod.running_mean.zero_()
                mod.running_var.fill_(1.0)
    return net


def measure_rf(build, module_name, size, dtype=torch.float64):
    """Receptive field (size, stride, padding) along H of the output of `module_name`, from gradient supports."""
    net, _ = build()
    net = rf_ready(net, dtype)
    got = {}
    dict(net.named_modules())[module_name].register_forward_hook(lambda m, i, o: got.__setitem__('out', o))
    x = torch.ones(1, 3, size, size, dtype=dtype, requires_grad=True)
    try:
        net(x)
    except RuntimeError:
        pass  # only the hooked output matters; a classifier head made for 224 may fail after it
    out = got['out']
    c = out.shape[2] // 2
    support = []
    for unit in (c, c + 1):
        x.grad = None
        out[0, :, unit, unit].sum().backward(retain_graph=True)
        rows = (x.grad[0].abs().sum(dim=(0, 2)) > 0).nonzero().flatten()
        support.append((int(rows.min()), int(rows.max())))
    (lo, hi), (lo2, _) = support
    if lo == 0 or hi == size - 1:
        raise SystemExit(f'{module_name}: input {size} too small to see the whole field')
    stride = lo2 - lo
    return {'size': hi - lo + 1, 'stride': stride, 'padding': c * stride - lo}


def rf_report():
    cases = [
        ('alexnet.convas.json', 'features.12', 'features.12', lambda: (tvm.alexnet(), ''), 320),
        ('vgg16.convas.json', 'block5_pool', 'features.30', lambda: (tvm.vgg16(), ''), 320),
        ('resnet18.convas.json', 'layer4.1.relu:2', 'layer4', lambda: (tvm.resnet18(), ''), 640),
        ('resnet50.convas.json', 'layer4.2.relu:3', 'layer4', lambda: (tvm.resnet50(), ''), 640),
        ('resnet50-keras.convas.json', 'conv5_block3_out', 'm.conv5_block3_out', keras_resnet50, 704),
        ('googlenet.convas.json', 'inception5b.concat', 'inception5b', lambda: (tvm.googlenet(aux_logits=False, init_weights=False), ''), 576),
        ('googlenet.convas.json', 'inception3a.concat', 'inception3a', lambda: (tvm.googlenet(aux_logits=False, init_weights=False), ''), 320),
        ('densenet121.convas.json', 'features.transition1.pool', 'features.transition1.pool', lambda: (tvm.densenet121(), ''), 256),
    ]
    return {f'{file} {node}': measure_rf(build, module, size) for file, node, module, build, size in cases}


def attr(node_id):
    """The attribute a Convas PyTorch export gives node `node_id`: every character Python does not allow in a name
    becomes '_' (`trunk_output.block1.block1-0.f.a.0` → `trunk_output_block1_block1_0_f_a_0`), as src/engine/names.ts does."""
    return re.sub(r'[^A-Za-z0-9_]', '_', node_id)


def compare_values(exported, preset):
    """Max |difference| between torchvision's model for `preset` and the Convas export `exported` (a model.py) given
    the same weights, and the largest |output|. Every weight of each side must find its place in the other."""
    import importlib.util
    build, size = {file: (b, size) for file, b, size, _ in models()}[preset]
    net, strip = build()
    # torchvision's own initialisation leaves MobileNet's SE gates near 0.5 and its logits near 0, where a wrong gate
    # would hardly show: every weight is redrawn at unit gain (1/sqrt(fan-in)), every bias, norm and statistic spread.
    with torch.no_grad():
        for name, p in net.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn_like(p) * (p[0].numel() ** -0.5))
            elif name.endswith('weight') or name.endswith('layer_scale'):  # norms' gains, layer scales
                p.copy_(torch.rand_like(p) + 0.5)
            else:
                p.copy_(torch.randn_like(p) * 0.5)
        for mod in net.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.copy_(torch.randn_like(mod.running_mean) * 0.2)
                mod.running_var.copy_(torch.rand_like(mod.running_var) + 0.5)
    net.eval()
    spec = importlib.util.spec_from_file_location('exported', exported)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    # The export defines one class and an alias `Model` for it.
    classes = list({c for c in vars(mod).values() if isinstance(c, type) and issubclass(c, nn.Module) and c.__module__ == 'exported'})
    if len(classes) != 1:
        raise SystemExit(f'{exported}: expected one nn.Module class, found {len(classes)}')
    ours = classes[0]().eval()
    target = ours.state_dict()
    filled = set()
    for name, value in net.state_dict().items():
        if name.endswith('num_batches_tracked'):
            continue
        name = name[len(strip):] if strip and name.startswith(strip) else name
        owner, _, leaf = name.rpartition('.')
        key = f"{attr(name)}.gamma" if leaf not in ('weight', 'bias', 'running_mean', 'running_var') \
            else f"{attr(owner)}.{leaf}"
        if key not in target or target[key].numel() != value.numel():
            raise SystemExit(f'{preset}: torchvision\'s {name} {list(value.shape)} has no place in the export ({key})')
        target[key] = value.reshape(target[key].shape)
        filled.add(key)
    missing = [k for k in target if k not in filled and not k.endswith('num_batches_tracked')]
    if missing:
        raise SystemExit(f'{preset}: export weights torchvision does not have: {missing[:5]}')
    ours.load_state_dict(target)
    x = torch.randn(1, *input_chw(size))
    with torch.no_grad():
        want, got = net(x), ours(x)
    if isinstance(want, dict):  # torchvision's segmentation models return {'out': logits}
        want = want['out']
    return {'maxDiff': float((want - got).abs().max()), 'maxAbs': float(want.abs().max())}


def main():
    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
    if '--values' in sys.argv:
        i = sys.argv.index('--values')
        print(json.dumps(compare_values(sys.argv[i + 1], sys.argv[i + 2])))
        return
    if '--rf' in sys.argv:
        print(json.dumps(rf_report(), indent=2))
        return
    result = {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'models': {}}
    for file, build, size, names in models():
        result['models'][file] = probe(build, size, names)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
