/**
 * Reader for IDX files (MNIST's format), raw or gzip-compressed: a magic number
 * `00 00 <type> <ndims>`, `ndims` big-endian uint32 sizes, then the values row-major. Only the
 * unsigned-byte type (0x08) is read; trailing bytes are refused.
 *
 * @module
 */
import { statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.ts";
import type { LabeledImages } from "./images.ts";

/** A malformed, truncated or missing IDX file. Its message is one line naming the file. */
export class IdxError extends InputError {}

/** Base names of the four MNIST files; each may also carry a `.gz` suffix. */
export const IDX_FILE_NAMES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** The most a `.gz` may decompress to before its header is read, or when it says more: 1 GiB. */
const MAX_IDX_BYTES = 2 ** 30;

/** The dims an unsigned-byte IDX header declares, once `head` holds all of it; else undefined. */
function headerDims(head: Uint8Array): number[] | undefined {
  if (head.length < 4 || head[0] || head[1] || head[2] !== 0x08 || !head[3]) return undefined;
  if (head.length < 4 + 4 * head[3]) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return Array.from({ length: head[3] }, (_, i) => view.getUint32(4 + 4 * i));
}

/**
 * Decompresses `bytes` if they are gzip, else returns them as they are. The output is capped
 * while it streams, at the length the IDX header declares, or at `maxBytes` before the header
 * is read or when it declares more, so a small `.gz` never expands into gigabytes.
 *
 * @param name What to call the data in error messages, usually its path. @default "IDX data"
 * @param maxBytes The most bytes to decompress. @default 2 ** 30
 * @throws {IdxError} When the gzip data is corrupt or truncated, or decompresses past a cap.
 */
export async function gunzipIfNeeded(
  bytes: Uint8Array,
  name = "IDX data",
  maxBytes = MAX_IDX_BYTES,
): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // no gzip magic
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  let dims: number[] | undefined;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      total += chunk.length;
      dims ??= headerDims(await new Blob(chunks).slice(0, 4 + 4 * 255).bytes());
      const limit = dims ? 4 + 4 * dims.length + dims.reduce((a, b) => a * b, 1) : maxBytes;
      if (dims && limit > maxBytes) {
        throw new IdxError(
          `${name}: its header declares dims ${dims.join("×")}, ${limit} bytes, ` +
            `more than the limit of ${maxBytes}`,
        );
      }
      if (total > limit) {
        const past = dims
          ? `the ${limit} bytes its header declares (dims ${dims.join("×")})`
          : `${maxBytes} bytes`;
        throw new IdxError(`${name}: the gzip data decompresses past ${past}; refusing to read on`);
      }
    }
  } catch (error) {
    if (error instanceof IdxError) throw error;
    throw new IdxError(`${name}: corrupt or truncated gzip data (${(error as Error).message})`);
  }
  return await new Blob(chunks).bytes();
}

/**
 * Parses an uncompressed unsigned-byte IDX file; `data` is a view into `bytes`.
 *
 * @param name What to call the data in error messages. @default "IDX data"
 * @param expect The number of dims the caller wants and what to call such data, checked from
 * the magic number before the sizes are read. @default undefined (any)
 * @throws {IdxError} On a header under 4 bytes, a wrong magic number (gzip data included) or
 * dims count, truncated data, or trailing bytes.
 */
export function parseIdx(
  bytes: Uint8Array,
  name = "IDX data",
  expect?: { dims: number; what: string },
): { dims: number[]; data: Uint8Array } {
  const fail = (why: string) => new IdxError(`${name}: ${why}`);
  if (bytes.length < 4) throw fail(`too short for an IDX header (${bytes.length} bytes, need 4)`);
  const [zero0, zero1, type, ndims] = bytes;
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  if (zero0 || zero1 || type !== 0x08 || !ndims) {
    throw fail(`wrong magic number ${magic}: unsigned-byte IDX starts 00 00 08 <dims ≥ 1>`);
  }
  if (expect && ndims !== expect.dims) {
    throw fail(
      `expected ${expect.what} with ${expect.dims} dims, but its magic number ${magic} ` +
        `says ${ndims} dims`,
    );
  }
  const header = 4 + 4 * ndims;
  if (bytes.length < header) {
    throw fail(`truncated header (${bytes.length} bytes, need ${header} for ${ndims} dims)`);
  }
  const dims = headerDims(bytes)!;
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - header;
  const need = `dims ${dims.join("×")} need ${expected} bytes`;
  if (actual < expected) throw fail(`truncated data (${need}, found ${actual})`);
  if (actual > expected) {
    throw fail(`${actual - expected} unexpected trailing bytes after the data (${need})`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** Reads and parses an IDX file, raw or gzip-compressed; {@linkcode parseIdx} has `expect`. */
export async function readIdx(
  path: string,
  expect?: { dims: number; what: string },
): Promise<{ dims: number[]; data: Uint8Array }> {
  const bytes = await Deno.readFile(path).catch((e) => {
    const why = e instanceof Deno.errors.NotFound ? "file not found" : `cannot read file (${e})`;
    throw new IdxError(`${path}: ${why}`);
  });
  return parseIdx(await gunzipIfNeeded(bytes, path), path, expect);
}

/** The path of `base` or `base.gz` in folder `dir`, raw preferred; else an IdxError. */
export function findIdxFile(dir: string, base: string): string {
  for (const path of [join(dir, base), join(dir, `${base}.gz`)]) {
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) return path;
  }
  throw new IdxError(`missing ${base} (or ${base}.gz) in folder ${dir}`);
}

/** The images `pick` keeps (default: all, in order), divided by 255 into [0, 1], with labels. */
async function readLabeled(
  imagesPath: string,
  labelsPath: string,
  pick?: (count: number) => ArrayLike<number> | undefined,
): Promise<LabeledImages> {
  const [images, labels] = await Promise.all([
    readIdx(imagesPath, { dims: 3, what: "image data (count×rows×cols)" }),
    readIdx(labelsPath, { dims: 1, what: "label data" }),
  ]);
  const [total, height, width] = images.dims;
  if (total !== labels.data.length) {
    throw new IdxError(
      `${basename(imagesPath)} has ${total} images but ${basename(labelsPath)} has ` +
        `${labels.data.length} labels (folder ${dirname(imagesPath)})`,
    );
  }
  const indices = pick?.(total);
  const size = height * width, count = indices?.length ?? total;
  // A loop, not `Float32Array.from(data, fn)`: V8 boxes every mapped value first, which took
  // 1.3 GiB more for MNIST's 47 million training pixels.
  const pixels = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const from = (indices ? indices[i] : i) * size;
    for (let k = 0; k < size; k++) pixels[i * size + k] = images.data[from + k] / 255;
  }
  const picked = indices ? Uint8Array.from(indices, (j) => labels.data[j]) : labels.data;
  return { data: pixels, count, height, width, labels: picked };
}

/**
 * Reads the four MNIST files of {@linkcode IDX_FILE_NAMES} from `dir`, each raw or `.gz` (the
 * raw one wins). Train and test images must have the same size.
 * `pick.train(count)` (likewise `test`) gives the indices of the images to keep, in order, or
 * undefined for all: only those are converted to floats.
 *
 * @throws {IdxError} When a file is missing or malformed, or counts or sizes disagree.
 */
export async function readIdxDataset(
  dir: string,
  pick: Partial<Record<"train" | "test", (count: number) => ArrayLike<number> | undefined>> = {},
): Promise<{ train: LabeledImages; test: LabeledImages }> {
  // All four are located first, so a missing file is reported before any slow decoding.
  const [trainImages, trainLabels, testImages, testLabels] = Object.values(IDX_FILE_NAMES)
    .map((base) => findIdxFile(dir, base));
  const train = await readLabeled(trainImages, trainLabels, pick.train);
  const test = await readLabeled(testImages, testLabels, pick.test);
  if (train.height !== test.height || train.width !== test.width) {
    throw new IdxError(
      `in folder ${dir}: train images are ${train.height}×${train.width} ` +
        `but test images are ${test.height}×${test.width}`,
    );
  }
  return { train, test };
}
