/**
 * Image grids: rows of images (e.g. original | noisy | reconstructed) as one PNG, or as an
 * HTML table of inline PNGs with row and column labels.
 *
 * @module
 */
import { encode } from "fast-png";
import { Buffer } from "node:buffer";
import { type Images, take } from "../data/images.ts";
import { escapeHtml } from "../text.ts";

/** Output pixels per image pixel (nearest neighbour) in every grid. */
export const GRID_SCALE = 3;
/** White output pixels between neighbouring grid cells (none around the border). */
export const GRID_GAP = 2;

function checkGrid(rows: readonly Images[]): void {
  const shape = (r: Images) => `${r.count}×${r.height}×${r.width}`;
  if (!rows[0]?.count) throw new RangeError("Image grid is empty: it needs a row of images");
  rows.forEach((r, i) => {
    if (shape(r) !== shape(rows[0])) {
      throw new RangeError(`Grid row ${i} is ${shape(r)}, row 0 is ${shape(rows[0])}`);
    }
  });
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
 * with {@linkcode GRID_GAP} white pixels between cells and no border.
 *
 * @throws {RangeError} when rows differ in shape or are empty.
 */
export function imageGridPng(rows: readonly Images[]): Uint8Array {
  checkGrid(rows);
  return gridPng(rows, GRID_SCALE, GRID_GAP);
}

function dataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

/**
 * The grid of {@linkcode imageGridPng} as an HTML `<table>` string with row labels on the
 * left and column labels on top (@default none); each cell is an inline PNG of one image,
 * magnified by CSS with crisp pixels, its alt text made of its labels.
 *
 * @throws {RangeError} when rows differ in shape or are empty, or labels miscount.
 */
export function imageGridHtml(
  rows: readonly Images[],
  labels: { rowLabels?: string[]; colLabels?: string[] } = {},
): string {
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
      const src = dataUrl(gridPng([take(images, [c])], 1, 0));
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

/** A PNG (e.g. from {@linkcode imageGridPng}) as an `<img>` whose alt text is `alt`. */
export function pngImgHtml(png: Uint8Array, alt: string): string {
  return `<img alt="${escapeHtml(alt)}" src="${dataUrl(png)}" ` +
    `style="image-rendering: pixelated; max-width: 100%;">`;
}
