/** States drawn as grey images on canvases (values already scaled to [0, 1]). */
import type { StateImages } from '../protocol.js';
import { el } from './dom.js';

/** One row of images per layer, each image scaled up `zoom` times. */
export function drawStates(images: readonly StateImages[], zoom = 4): HTMLElement {
  const box = el('div', { class: 'states' });
  for (const img of images) {
    const row = el('div', { class: 'state-row' }, el('div', { class: 'muted', text: `layer ${img.layer}` }));
    const size = img.width * img.height;
    for (let k = 0; k < img.count; k++) {
      const canvas = el('canvas', { width: img.width, height: img.height, style: `width:${img.width * zoom}px;height:${img.height * zoom}px`, class: 'state' });
      const ctx = canvas.getContext('2d');
      if (ctx) {
        const data = ctx.createImageData(img.width, img.height);
        for (let i = 0; i < size; i++) {
          const v = Math.round(255 * Math.min(1, Math.max(0, img.pixels[k * size + i]!)));
          data.data.set([v, v, v, 255], 4 * i);
        }
        ctx.putImageData(data, 0, 0);
      }
      row.append(canvas);
    }
    box.append(row);
  }
  return box;
}

/** An uploaded image file as grey pixels in [0, 1]. */
export async function imagePixels(file: File): Promise<{ pixels: number[]; width: number; height: number }> {
  const bitmap = await createImageBitmap(file);
  const canvas = el('canvas', { width: bitmap.width, height: bitmap.height });
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  const pixels: number[] = [];
  for (let i = 0; i < data.length; i += 4) pixels.push((0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!) / 255);
  return { pixels, width: bitmap.width, height: bitmap.height };
}
