/** Every preset's builder, keyed by its file name under `presets/`. `npm run presets` writes them all. */

import { formatJson, type Design } from '../../src/engine/index.ts';
import { alexnet, alexnet2012, vgg16 } from './classic.ts';
import { convnextTiny } from './convnext.ts';
import { densenet121 } from './densenet.ts';
import { efficientnetB0 } from './efficientnet.ts';
import { googlenet } from './googlenet.ts';
import { mobilenetV3Large } from './mobilenet.ts';
import { regnetY400mf } from './regnet.ts';
import { resnet18, resnet50, resnet50Keras } from './resnet.ts';
import { deeplabv3MobilenetV3Large, fcnResnet50, lrasppMobilenetV3Large } from './segmentation.ts';
import { shufflenetV2 } from './shufflenet.ts';
import { effectiveFieldChain, outputSizeFormula } from './lessons.ts';
import { bottleneck1x1, conv5x5vs3x3, denseBlock, inceptionModule } from './teaching.ts';
import { autoencoder, unet } from './unet.ts';
import { xception } from './xception.ts';

export const PRESET_BUILDERS: Record<string, () => Design> = {
  'alexnet.convas.json': alexnet,
  'alexnet-2012.convas.json': alexnet2012,
  'vgg16.convas.json': vgg16,
  'googlenet.convas.json': googlenet,
  'resnet18.convas.json': resnet18,
  'resnet50.convas.json': resnet50,
  'resnet50-keras.convas.json': resnet50Keras,
  'densenet121.convas.json': densenet121,
  'xception.convas.json': xception,
  'mobilenet-v3-large.convas.json': mobilenetV3Large,
  'convnext-tiny.convas.json': convnextTiny,
  'efficientnet-b0.convas.json': efficientnetB0,
  'shufflenet-v2-x1.convas.json': shufflenetV2,
  'regnet-y-400mf.convas.json': regnetY400mf,
  'unet.convas.json': unet,
  'fcn-resnet50.convas.json': fcnResnet50,
  'deeplabv3-mobilenet-v3-large.convas.json': deeplabv3MobilenetV3Large,
  'lraspp-mobilenet-v3-large.convas.json': lrasppMobilenetV3Large,
  'conv-5x5-vs-3x3.convas.json': conv5x5vs3x3,
  'bottleneck-1x1.convas.json': bottleneck1x1,
  'inception-module.convas.json': inceptionModule,
  'dense-block.convas.json': denseBlock,
  'autoencoder.convas.json': autoencoder,
  'effective-field.convas.json': effectiveFieldChain,
  'output-size.convas.json': outputSizeFormula,
};

/** The committed text of a preset: the engine's `formatJson` and a final newline, so regenerating is a no-op. */
export function presetText(design: Design): string {
  return formatJson(design) + '\n';
}

/** Every preset file name with the text `npm run presets` writes for it. */
export function renderPresets(): Record<string, string> {
  return Object.fromEntries(Object.entries(PRESET_BUILDERS).map(([file, build]) => [file, presetText(build())]));
}
