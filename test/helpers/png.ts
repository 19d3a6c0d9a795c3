// Reading rendered pictures back: the real QR decoder and raw pixels from sharp.
import jsQRModule from 'jsqr';
import sharp from 'sharp';

// jsqr is CommonJS with a default export; typed as the module object under nodenext, a function at run time.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  /** [r, g, b] at (x, y). */
  at(x: number, y: number): [number, number, number];
}

export async function pixels(image: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (y * info.width + x) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!];
    },
  };
}

/** The text of the QR code in `image`, or null when jsQR finds none. */
export async function decodeQr(image: Buffer): Promise<string | null> {
  const { data, width, height } = await pixels(image);
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height)?.data ?? null;
}

/** How many pixels are near white: on a red poster, that is the white text and the QR code's square. */
export async function whitePixels(image: Buffer): Promise<number> {
  const { data } = await pixels(image);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! > 220 && data[i + 1]! > 220 && data[i + 2]! > 220) n++;
  return n;
}
