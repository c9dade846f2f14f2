/**
 * Test fixtures for IDX data.
 *
 * @module
 */

/** An unsigned-byte IDX file, the inverse of `parseIdx`, for test fixtures. */
export function encodeIdx(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, 0x08, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(values, 4 + 4 * dims.length);
  return out;
}
