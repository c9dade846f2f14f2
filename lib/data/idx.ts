/**
 * Reader for IDX files, the format MNIST and Fashion-MNIST are distributed in,
 * raw or gzip-compressed.
 *
 * An IDX file is a 4-byte magic number `00 00 <type> <ndims>`, then `ndims`
 * big-endian uint32 sizes, then the values in row-major order. Only the
 * unsigned-byte type (0x08) is supported, the one every MNIST-style file uses.
 * Trailing bytes after the data are rejected: a file longer than its header
 * says is more likely a wrong or damaged file than a harmless quirk.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.ts";
import type { Images, LabeledImages } from "./images.ts";

/**
 * A malformed, truncated or missing IDX file. Its message is one line naming the file.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { IdxError, parseIdx } from "./idx.ts";
 * try {
 *   parseIdx(new Uint8Array([1, 2, 3, 4]), "x.idx");
 * } catch (e) {
 *   assert(e instanceof IdxError && e.message.startsWith("x.idx:"));
 * }
 * ```
 */
export class IdxError extends InputError {}

/** The decoded contents of an unsigned-byte IDX file. */
export interface IdxArray {
  /** Size of each dimension, outermost first, e.g. `[count, rows, cols]` for images. */
  dims: number[];
  /** The values, row-major, length = product of `dims`. */
  data: Uint8Array;
}

/** The four files of an MNIST-style dataset, decoded. */
export interface IdxDataset {
  /** Training images with labels. */
  train: LabeledImages;
  /** Test images with labels. */
  test: LabeledImages;
  /** The file actually read for each role, `.gz` suffix included when that was the one found. */
  files: {
    trainImages: string;
    trainLabels: string;
    testImages: string;
    testLabels: string;
  };
}

/** Options of {@linkcode parseIdx} and {@linkcode readIdx}. */
export interface ParseIdxOptions {
  /**
   * The number of dimensions the caller expects (3 for images, 1 for labels), checked from the
   * magic number before the sizes are read, so a wrong count is reported as such rather than
   * as truncated data. @default undefined (any)
   */
  dims?: number;
  /** What the data should be, for that message. @default "data" */
  what?: string;
}

/** Standard base names of the four MNIST files; each may also carry a `.gz` suffix. */
export const IDX_FILE_NAMES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

const UNSIGNED_BYTE = 0x08;

/** IDX type codes, for naming the unsupported ones in error messages. */
const TYPE_NAMES: Record<number, string> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/**
 * Whether `bytes` start with the gzip magic number `1f 8b`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { isGzip } from "./idx.ts";
 * assert(isGzip(new Uint8Array([0x1f, 0x8b, 8])));
 * assert(!isGzip(new Uint8Array([0, 0, 8, 1])));
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses `bytes` if they are gzip (detected by magic number), else returns them as is.
 * Uses the web `DecompressionStream`, so no dependency is needed. The output is capped while
 * it streams: at the length the IDX header declares (read from the first bytes out), and at
 * `maxBytes` before the header is read or when it declares more, so a small `.gz` can never
 * expand into gigabytes.
 *
 * @param bytes Raw or gzip-compressed bytes.
 * @param name What to call the data in error messages, usually its file path.
 * @param maxBytes The most bytes to decompress. @default MAX_IDX_BYTES
 * @throws {IdxError} When the gzip data is corrupt or truncated, or decompresses past the
 * header's length or `maxBytes`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { gunzipIfNeeded } from "./idx.ts";
 * const raw = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]);
 * assert((await gunzipIfNeeded(raw)) === raw);
 * ```
 */
export async function gunzipIfNeeded(
  bytes: Uint8Array,
  name = "IDX data",
  maxBytes: number = MAX_IDX_BYTES,
): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = maxBytes;
  let declared: { bytes: number; dims: number[] } | undefined;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (declared === undefined) {
        declared = declaredSize(concat(chunks, Math.min(total, 4 + 4 * 255)));
        if (declared && declared.bytes > maxBytes) {
          throw new IdxError(
            `${name}: its header declares dims ${declared.dims.join("×")}, ` +
              `${declared.bytes} bytes, more than the limit of ${maxBytes}`,
          );
        }
        if (declared) limit = declared.bytes;
      }
      if (total > limit) {
        throw new IdxError(
          declared
            ? `${name}: the gzip data decompresses past the ${declared.bytes} bytes its ` +
              `header declares (dims ${declared.dims.join("×")}); refusing to read on`
            : `${name}: the gzip data decompresses past ${maxBytes} bytes; refusing to read on`,
        );
      }
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof IdxError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new IdxError(`${name}: corrupt or truncated gzip data (${why})`, { cause: error });
  }
  return concat(chunks, total);
}

/**
 * The most bytes an IDX file may decompress to when its header cannot be read yet or
 * declares more: 1 GiB, twenty times the 60,000 MNIST training images.
 */
export const MAX_IDX_BYTES = 2 ** 30;

/** The first `n` bytes of `chunks`, as one array. */
function concat(chunks: readonly Uint8Array[], n: number): Uint8Array {
  if (chunks.length === 1 && chunks[0].length === n) return chunks[0];
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    if (at >= n) break;
    const part = c.subarray(0, n - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The whole file's length that an IDX header declares (header and data), once `head` holds
 * the whole header; undefined before that, or when it is no IDX header (parseIdx says why).
 */
function declaredSize(head: Uint8Array): { bytes: number; dims: number[] } | undefined {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || head[3] === 0) return undefined;
  const headerLength = 4 + 4 * head[3];
  if (head.length < headerLength) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: head[3] }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = head[2] === UNSIGNED_BYTE ? 1 : 0;
  if (size === 0) return undefined;
  return { bytes: headerLength + dims.reduce((a, b) => a * b, 1), dims };
}

/**
 * Parses the bytes of an uncompressed unsigned-byte IDX file. The returned
 * `data` is a view into `bytes`, not a copy.
 *
 * @param bytes The whole file, already decompressed (see {@linkcode gunzipIfNeeded}).
 * @param name What to call the data in error messages, usually its file path.
 * @param options The expected number of dimensions.
 * @throws {IdxError} On a wrong magic number, an unsupported type, an unexpected number of
 * dimensions, truncated data, trailing bytes, or gzip data passed without decompressing.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { parseIdx } from "./idx.ts";
 * // Two 1×2 images: header 00 00 08 03, dims 2, 1, 2, then 4 pixels.
 * const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4]);
 * const { dims, data } = parseIdx(bytes);
 * assert(dims.join() === "2,1,2" && data[3] === 4);
 * ```
 */
export function parseIdx(
  bytes: Uint8Array,
  name = "IDX data",
  options: ParseIdxOptions = {},
): IdxArray {
  if (isGzip(bytes)) {
    throw new IdxError(`${name}: data is gzip-compressed; decompress it first (gunzipIfNeeded)`);
  }
  if (bytes.length < 4) {
    throw new IdxError(`${name}: too short for an IDX header (${bytes.length} bytes, need 4)`);
  }
  const [zero0, zero1, type, ndims] = bytes;
  if (zero0 !== 0 || zero1 !== 0 || ndims === 0) {
    throw new IdxError(
      `${name}: wrong magic number ${hex(bytes.subarray(0, 4))} ` +
        `(an IDX file starts 00 00 <type> <number of dims ≥ 1>)`,
    );
  }
  if (type !== UNSIGNED_BYTE) {
    const typeName = TYPE_NAMES[type] ?? "unknown type";
    throw new IdxError(
      `${name}: unsupported IDX type 0x${type.toString(16).padStart(2, "0")} (${typeName}); ` +
        `only 0x08 (unsigned byte) is supported`,
    );
  }
  if (options.dims !== undefined && ndims !== options.dims) {
    throw new IdxError(
      `${name}: expected ${options.what ?? "data"} with ${options.dims} dims, but its magic ` +
        `number ${hex(bytes.subarray(0, 4))} says ${ndims} dims`,
    );
  }
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) {
    throw new IdxError(
      `${name}: truncated header (${bytes.length} bytes, need ${headerLength} for ${ndims} dims)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  // A Number product stays exact up to 2^53 bytes, far beyond any file we could hold.
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw new IdxError(
      `${name}: truncated data (dims ${dims.join("×")} need ${expected} bytes, found ${actual})`,
    );
  }
  if (actual > expected) {
    throw new IdxError(
      `${name}: ${actual - expected} unexpected trailing bytes after the data ` +
        `(dims ${dims.join("×")} need ${expected} bytes)`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/**
 * Reads and parses an IDX file, raw or gzip-compressed.
 *
 * @param path The file to read.
 * @param options The expected number of dimensions.
 * @throws {IdxError} When the file is missing, unreadable or malformed.
 *
 * @example
 * ```ts ignore
 * import { readIdx } from "./idx.ts";
 * const { dims } = await readIdx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 * console.log(dims); // [10000]
 * ```
 */
export async function readIdx(path: string, options: ParseIdxOptions = {}): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new IdxError(`${path}: file not found`, { cause: error });
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new IdxError(`${path}: cannot read file (${why})`, { cause: error });
  }
  return parseIdx(await gunzipIfNeeded(bytes, path), path, options);
}

/**
 * Reads an IDX image file (dims `[count, rows, cols]`) into {@linkcode Images},
 * pixels divided by 255. Any image size is accepted and reported as it is;
 * callers that need particular sizes check `height` and `width` themselves.
 *
 * @param path The file to read, raw or gzip-compressed.
 * @throws {IdxError} When the file is malformed or not three-dimensional.
 *
 * @example
 * ```ts ignore
 * import { readIdxImages } from "./idx.ts";
 * const images = await readIdxImages("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
 * console.log(images.count, images.height, images.width); // 10000 28 28
 * ```
 */
export async function readIdxImages(path: string): Promise<Images> {
  const { dims, data } = await readIdx(path, { dims: 3, what: "image data (count×rows×cols)" });
  const [count, height, width] = dims;
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) pixels[i] = data[i] / 255;
  return { data: pixels, count, height, width };
}

/**
 * Reads an IDX label file (dims `[count]`).
 *
 * @param path The file to read, raw or gzip-compressed.
 * @throws {IdxError} When the file is malformed or not one-dimensional.
 *
 * @example
 * ```ts ignore
 * import { readIdxLabels } from "./idx.ts";
 * const labels = await readIdxLabels("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 * console.log(labels.length); // 10000
 * ```
 */
export async function readIdxLabels(path: string): Promise<Uint8Array> {
  return (await readIdx(path, { dims: 1, what: "label data" })).data;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The path of `base` or `base.gz` in `dir`, raw preferred; errors naming both when neither exists. */
async function findIdxFile(dir: string, base: string): Promise<string> {
  for (const candidate of [base, `${base}.gz`]) {
    const path = join(dir, candidate);
    if (await isFile(path)) return path;
  }
  throw new IdxError(`missing ${base} (or ${base}.gz) in folder ${dir}`);
}

async function readLabeled(imagesPath: string, labelsPath: string): Promise<LabeledImages> {
  const [images, labels] = await Promise.all([
    readIdxImages(imagesPath),
    readIdxLabels(labelsPath),
  ]);
  if (images.count !== labels.length) {
    throw new IdxError(
      `${basename(imagesPath)} has ${images.count} images but ${basename(labelsPath)} has ` +
        `${labels.length} labels (folder ${dirname(imagesPath)})`,
    );
  }
  return { ...images, labels };
}

/**
 * Reads the four standard MNIST-style files from `dir`: `train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each
 * raw or with a `.gz` suffix (the raw file wins when both exist). Image sizes are
 * returned as found; train and test must agree on them.
 *
 * @param dir The folder holding the files.
 * @throws {IdxError} When a file is missing or malformed, when a label count differs
 * from its image count, or when train and test image sizes differ.
 *
 * @example
 * ```ts ignore
 * import { readIdxDataset } from "./idx.ts";
 * const { train, test } = await readIdxDataset("/usr/share/datasets/fashion-mnist");
 * console.log(train.count, test.count); // 60000 10000
 * ```
 */
export async function readIdxDataset(dir: string): Promise<IdxDataset> {
  // Locate all four first, so a missing file is reported before any slow decoding.
  const files = {
    trainImages: await findIdxFile(dir, IDX_FILE_NAMES.trainImages),
    trainLabels: await findIdxFile(dir, IDX_FILE_NAMES.trainLabels),
    testImages: await findIdxFile(dir, IDX_FILE_NAMES.testImages),
    testLabels: await findIdxFile(dir, IDX_FILE_NAMES.testLabels),
  };
  const train = await readLabeled(files.trainImages, files.trainLabels);
  const test = await readLabeled(files.testImages, files.testLabels);
  if (train.height !== test.height || train.width !== test.width) {
    throw new IdxError(
      `in folder ${dir}: train images are ${train.height}×${train.width} ` +
        `but test images are ${test.height}×${test.width}`,
    );
  }
  return { train, test, files };
}

/**
 * Encodes an unsigned-byte (type 0x08) IDX file, big-endian dims: the inverse of
 * {@linkcode parseIdx}, for writing datasets and test fixtures.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { encodeIdx, parseIdx } from "./idx.ts";
 * assert(parseIdx(encodeIdx([2], [7, 3])).data[1] === 3);
 * ```
 */
export function encodeIdx(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, 0x08, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(values, 4 + 4 * dims.length);
  return out;
}
