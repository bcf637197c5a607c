import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, purgeZXingModule, readBarcodes, ZXING_WASM_SHA256, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader';
import { AppError } from '../../errors.ts';

/**
 * zxing-wasm's WebAssembly, the file in the installed package. Left to itself the library fetches
 * it from a CDN (jsDelivr) at its first use: tokobot runs where that may be unreachable, and code
 * fetched at run time is not the code that was installed.
 */
export const ZXING_WASM_PATH = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');

let ready: Promise<unknown> | null = null;

/** The wasm's bytes, checked against the hash the package was built with. */
async function wasmBytes(): Promise<ArrayBuffer> {
  const bytes = await readFile(ZXING_WASM_PATH);
  if (createHash('sha256').update(bytes).digest('hex') !== ZXING_WASM_SHA256) {
    throw new AppError('config', 'barcode', {
      en: `${ZXING_WASM_PATH} is not the WebAssembly file of the installed zxing-wasm (its SHA-256 differs): reinstall tokobot's packages (npm ci).`,
      id: `${ZXING_WASM_PATH} bukan file WebAssembly dari zxing-wasm yang terpasang (SHA-256 berbeda): pasang ulang paket tokobot (npm ci).`,
    });
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Instantiates the module once, from the package's file (`wasmBinary`: nothing is fetched). */
function zxingReady(): Promise<unknown> {
  ready ??= wasmBytes().then((wasmBinary) => prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true }));
  ready.catch(() => { ready = null; });
  return ready;
}

/** Grey pixels, one byte each, row by row. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * The barcodes zxing finds in `image`. Reads are synchronous inside the module; a module that
 * failed (out of its memory, aborted) is dropped so that the next read starts a fresh one.
 */
export async function zxingRead(image: GreyImage, options: ReaderOptions): Promise<ReadResult[]> {
  await zxingReady();
  // readBarcodes takes RGBA (ImageData) and turns it back into luminance with 306·R + 601·G + 117·B
  // (sum 1024): grey copied into R, G and B comes back exactly.
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i++, j += 4) {
    const v = image.data[i] as number;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  try {
    return await readBarcodes({ data: rgba, width: image.width, height: image.height, colorSpace: 'srgb' } as ImageData, options);
  } catch (err) {
    purgeZXingModule();
    ready = null;
    throw err;
  }
}
