/**
 * Image grids: rows of images (e.g. original | noisy | reconstructed) as one PNG, or as an
 * HTML table of inline PNGs with row and column labels.
 *
 * @module
 */
import { encode } from "fast-png";
import type { Images } from "../data/images.ts";
import { escapeHtml } from "../text.ts";

/** Default pixel magnification of image grids. */
export const DEFAULT_GRID_SCALE = 3;
/** Default white gap between image-grid cells, in output pixels. */
export const DEFAULT_GRID_GAP = 2;

/** Options of {@linkcode imageGridPng}. */
export interface ImageGridOptions {
  /** Output pixels per image pixel (nearest neighbour). @default {3} */
  scale?: number;
  /** White output pixels between neighbouring cells (none around the border). @default {2} */
  gap?: number;
}

/** Options of {@linkcode imageGridHtml}. */
export interface ImageGridHtmlOptions extends ImageGridOptions {
  /** One label per row, shown left of it (e.g. "original", "noisy", "denoised"). */
  rowLabels?: string[];
  /** One label per column, shown above it (e.g. the digit class). */
  colLabels?: string[];
}

function checkGrid(rows: readonly Images[]): { cols: number; h: number; w: number } {
  if (rows.length === 0) throw new RangeError("Image grid needs at least one row");
  const { count: cols, height: h, width: w } = rows[0];
  for (const [i, r] of rows.entries()) {
    if (r.count !== cols || r.height !== h || r.width !== w) {
      throw new RangeError(
        `Grid row ${i} is ${r.count}×${r.height}×${r.width}, row 0 is ${cols}×${h}×${w}`,
      );
    }
  }
  if (cols === 0) throw new RangeError("Image grid rows are empty");
  return { cols, h, w };
}

function checkLayout(scale: number, gap: number): void {
  if (!Number.isInteger(scale) || scale < 1) {
    throw new RangeError(`scale must be a positive integer, got ${scale}`);
  }
  if (!Number.isInteger(gap) || gap < 0) {
    throw new RangeError(`gap must be a non-negative integer, got ${gap}`);
  }
}

function toByte(v: number): number {
  // NaN fails both comparisons and falls through to 0 (black).
  return v >= 1 ? 255 : v > 0 ? Math.round(v * 255) : 0;
}

/**
 * A grayscale 8-bit PNG of image batches as a grid: row `r` shows `rows[r]`
 * (e.g. original | noisy | reconstructed), column `c` its `c`-th image. Pixels are
 * clamped to [0, 1] and mapped to `round(v·255)` (NaN → 0), magnified `scale`×,
 * with `gap` white pixels between cells and no border, so the PNG is
 * `cols·width·scale + (cols−1)·gap` wide and `rows·height·scale + (rows−1)·gap`
 * high. Labels are left to captions or {@linkcode imageGridHtml}.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { imageGridPng } from "./image_grid.ts";
 * const batch = { data: new Float32Array(2 * 4), count: 2, height: 2, width: 2 };
 * const png = imageGridPng([batch, batch]);
 * assert(png[1] === 0x50); // "P" of the PNG signature
 * ```
 *
 * @throws {RangeError} when rows differ in shape, are empty, or scale/gap are invalid.
 */
export function imageGridPng(rows: readonly Images[], options: ImageGridOptions = {}): Uint8Array {
  const { scale = DEFAULT_GRID_SCALE, gap = DEFAULT_GRID_GAP } = options;
  checkLayout(scale, gap);
  const { cols, h, w } = checkGrid(rows);
  const cellW = w * scale;
  const cellH = h * scale;
  const width = cols * cellW + (cols - 1) * gap;
  const height = rows.length * cellH + (rows.length - 1) * gap;
  const data = new Uint8Array(width * height).fill(255);
  rows.forEach((images, r) => {
    for (let c = 0; c < cols; c++) {
      const source = c * h * w;
      const left = c * (cellW + gap);
      const top = r * (cellH + gap);
      for (let y = 0; y < cellH; y++) {
        const row = source + Math.floor(y / scale) * w;
        const out = (top + y) * width + left;
        for (let x = 0; x < cellW; x++) {
          data[out + x] = toByte(images.data[row + Math.floor(x / scale)]);
        }
      }
    }
  });
  return encode({ width, height, data, channels: 1, depth: 8 });
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument count well below engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * The grid of {@linkcode imageGridPng} as an HTML `<table>` string with row labels
 * on the left and column labels on top; each cell is an inline PNG (data URL) of
 * one image, magnified by CSS with crisp pixels. Display it with
 * ``Deno.jupyter.html`${markup}` `` or save it as an `.html` file.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { imageGridHtml } from "./image_grid.ts";
 * const batch = { data: new Float32Array(2), count: 2, height: 1, width: 1 };
 * const markup = imageGridHtml([batch], { rowLabels: ["noisy"], colLabels: ["a", "b"] });
 * assert(markup.includes("<th") && markup.includes("noisy"));
 * ```
 *
 * @throws {RangeError} when rows differ in shape, labels miscount, or scale/gap are invalid.
 */
export function imageGridHtml(rows: readonly Images[], options: ImageGridHtmlOptions = {}): string {
  const { scale = DEFAULT_GRID_SCALE, gap = DEFAULT_GRID_GAP, rowLabels, colLabels } = options;
  checkLayout(scale, gap);
  const { cols, h, w } = checkGrid(rows);
  if (rowLabels && rowLabels.length !== rows.length) {
    throw new RangeError(`${rowLabels.length} row labels for ${rows.length} rows`);
  }
  if (colLabels && colLabels.length !== cols) {
    throw new RangeError(`${colLabels.length} column labels for ${cols} columns`);
  }
  const cell = `padding: 0; border: 0;`;
  const label = `${cell} font: 12px sans-serif; text-align: right; padding-right: 6px;`;
  const lines = [
    `<table style="border-collapse: separate; border-spacing: ${gap}px; background: white;">`,
  ];
  if (colLabels) {
    const heads = colLabels.map((l) =>
      `<th style="${cell} font: 12px sans-serif;">${escapeHtml(l)}</th>`
    );
    lines.push(`<tr>${rowLabels ? `<th style="${cell}"></th>` : ""}${heads.join("")}</tr>`);
  }
  rows.forEach((images, r) => {
    const cells = [];
    if (rowLabels) cells.push(`<th style="${label}">${escapeHtml(rowLabels[r])}</th>`);
    for (let c = 0; c < cols; c++) {
      const one: Images = {
        data: images.data.subarray(c * h * w, (c + 1) * h * w),
        count: 1,
        height: h,
        width: w,
      };
      const src = `data:image/png;base64,${base64(imageGridPng([one], { scale: 1, gap: 0 }))}`;
      // Alt text from the labels: "noisy, 7"; without labels, the cell's place.
      const alt = [rowLabels?.[r], colLabels?.[c]].filter((l) => l).join(", ") ||
        `image ${r + 1}, ${c + 1}`;
      cells.push(
        `<td style="${cell}"><img src="${src}" alt="${escapeHtml(alt)}" width="${w * scale}" ` +
          `height="${h * scale}" style="image-rendering: pixelated; display: block;"></td>`,
      );
    }
    lines.push(`<tr>${cells.join("")}</tr>`);
  });
  lines.push("</table>");
  return lines.join("\n");
}

/**
 * A PNG (e.g. from {@linkcode imageGridPng}) as an `<img>` with alt text, for pages that need
 * a description of every image: `alt` is the figure's title or caption.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { pngImgHtml } from "./image_grid.ts";
 * const html = pngImgHtml(new Uint8Array([137, 80]), "Walking through the code space");
 * assert(html.startsWith('<img alt="Walking through the code space" src="data:image/png;base64,'));
 * ```
 */
export function pngImgHtml(png: Uint8Array, alt: string): string {
  return `<img alt="${escapeHtml(alt)}" src="data:image/png;base64,${base64(png)}" ` +
    `style="image-rendering: pixelated; max-width: 100%;">`;
}
