/**
 * Image grids: rows of images (e.g. original | noisy | reconstructed) as one PNG, or as an
 * HTML table of inline PNGs with row and column labels.
 *
 * @module
 */
import { encode } from "fast-png";
import type { Images } from "../data/images.ts";
import { escapeHtml } from "../text.ts";

/** Output pixels per image pixel (nearest neighbour) in every grid. */
export const GRID_SCALE = 3;
/** White output pixels between neighbouring grid cells (none around the border). */
export const GRID_GAP = 2;

/** Labels of {@linkcode imageGridHtml}. */
export interface ImageGridLabels {
  /** One label per row, shown left of it (e.g. "original", "noisy", "denoised"). @default none */
  rowLabels?: string[];
  /** One label per column, shown above it (e.g. the digit class). @default none */
  colLabels?: string[];
}

function checkGrid(rows: readonly Images[]): void {
  if (rows.length === 0) throw new RangeError("Image grid needs at least one row");
  const { count, height, width } = rows[0];
  for (const [i, r] of rows.entries()) {
    if (r.count !== count || r.height !== height || r.width !== width) {
      throw new RangeError(
        `Grid row ${i} is ${r.count}×${r.height}×${r.width}, row 0 is ${count}×${height}×${width}`,
      );
    }
  }
  if (count === 0) throw new RangeError("Image grid rows are empty");
}

/** The grid as PNG bytes, `scale`× with `gap` white pixels between cells. */
function gridPng(rows: readonly Images[], scale: number, gap: number): Uint8Array {
  const { count: cols, height: h, width: w } = rows[0];
  const width = cols * (w * scale + gap) - gap;
  const height = rows.length * (h * scale + gap) - gap;
  const data = new Uint8Array(width * height).fill(255);
  rows.forEach((images, r) => {
    for (let c = 0; c < cols; c++) {
      for (let y = 0; y < h * scale; y++) {
        const from = c * h * w + Math.floor(y / scale) * w;
        const to = (r * (h * scale + gap) + y) * width + c * (w * scale + gap);
        for (let x = 0; x < w * scale; x++) {
          const v = images.data[from + Math.floor(x / scale)];
          // NaN fails both comparisons and falls through to 0 (black).
          data[to + x] = v >= 1 ? 255 : v > 0 ? Math.round(v * 255) : 0;
        }
      }
    }
  });
  return encode({ width, height, data, channels: 1, depth: 8 });
}

/**
 * A grayscale 8-bit PNG of image batches as a grid: row `r` shows `rows[r]`
 * (e.g. original | noisy | reconstructed), column `c` its `c`-th image. Pixels are
 * clamped to [0, 1] and mapped to `round(v·255)` (NaN → 0), magnified {@linkcode GRID_SCALE}×,
 * with {@linkcode GRID_GAP} white pixels between cells and no border. Labels are left to
 * captions or {@linkcode imageGridHtml}.
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
 * @throws {RangeError} when rows differ in shape or are empty.
 */
export function imageGridPng(rows: readonly Images[]): Uint8Array {
  checkGrid(rows);
  return gridPng(rows, GRID_SCALE, GRID_GAP);
}

function dataUrl(png: Uint8Array): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument count well below engine limits.
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}

/**
 * The grid of {@linkcode imageGridPng} as an HTML `<table>` string with row labels on the
 * left and column labels on top; each cell is an inline PNG of one image, magnified by CSS
 * with crisp pixels, its alt text made of its labels. Display it with `show(html(markup))`.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { imageGridHtml } from "./image_grid.ts";
 * const batch = { data: new Float32Array(2), count: 2, height: 1, width: 1 };
 * const markup = imageGridHtml([batch], { rowLabels: ["noisy"], colLabels: ["a", "b"] });
 * assert(markup.includes("<th") && markup.includes('alt="noisy, b"'));
 * ```
 *
 * @throws {RangeError} when rows differ in shape or are empty, or labels miscount.
 */
export function imageGridHtml(rows: readonly Images[], labels: ImageGridLabels = {}): string {
  checkGrid(rows);
  const { rowLabels, colLabels } = labels;
  const { count: cols, height: h, width: w } = rows[0];
  if (rowLabels && rowLabels.length !== rows.length) {
    throw new RangeError(`${rowLabels.length} row labels for ${rows.length} rows`);
  }
  if (colLabels && colLabels.length !== cols) {
    throw new RangeError(`${colLabels.length} column labels for ${cols} columns`);
  }
  const cell = `padding: 0; border: 0;`;
  const th = (text: string, style = "") =>
    `<th style="${cell} font: 12px sans-serif;${style}">${escapeHtml(text)}</th>`;
  const lines = [
    `<table style="border-collapse: separate; border-spacing: ${GRID_GAP}px; background: white;">`,
  ];
  if (colLabels) {
    lines.push(`<tr>${rowLabels ? th("") : ""}${colLabels.map((l) => th(l)).join("")}</tr>`);
  }
  rows.forEach((images, r) => {
    const cells = rowLabels ? [th(rowLabels[r], " text-align: right; padding-right: 6px;")] : [];
    for (let c = 0; c < cols; c++) {
      const data = images.data.subarray(c * h * w, (c + 1) * h * w);
      const src = dataUrl(gridPng([{ data, count: 1, height: h, width: w }], 1, 0));
      const alt = [rowLabels?.[r], colLabels?.[c]].filter((l) => l).join(", ") ||
        `image ${r + 1}, ${c + 1}`;
      const size = `width="${w * GRID_SCALE}" height="${h * GRID_SCALE}"`;
      cells.push(
        `<td style="${cell}"><img src="${src}" alt="${escapeHtml(alt)}" ${size} ` +
          `style="image-rendering: pixelated; display: block;"></td>`,
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
  return `<img alt="${escapeHtml(alt)}" src="${dataUrl(png)}" ` +
    `style="image-rendering: pixelated; max-width: 100%;">`;
}
