import sharp from 'sharp';

export interface Pixels {
  width: number;
  height: number;
  /** How many pixels are within `tolerance` of the colour on each channel, in the box (whole image by default). */
  count(hex: string, box?: { left: number; top: number; width: number; height: number }, tolerance?: number): number;
  /** The share of pixels that are not (nearly) white. */
  inked(): number;
}

/** A PNG decoded to RGB pixels (sharp), to ask what is drawn in it. */
export async function pixels(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => (y * info.width + x) * info.channels;
  return {
    width: info.width,
    height: info.height,
    count(hex, box = { left: 0, top: 0, width: info.width, height: info.height }, tolerance = 10) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let y = box.top; y < box.top + box.height; y++) {
        for (let x = box.left; x < box.left + box.width; x++) {
          const i = at(x, y);
          if (Math.abs(data[i]! - r!) <= tolerance && Math.abs(data[i + 1]! - g!) <= tolerance && Math.abs(data[i + 2]! - b!) <= tolerance) n++;
        }
      }
      return n;
    },
    inked() {
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) n++;
      return n / (info.width * info.height);
    },
  };
}
