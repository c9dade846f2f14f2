import { decode } from "fast-png";
import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import { GRID_GAP, GRID_SCALE, imageGridHtml, imageGridPng } from "./image_grid.ts";
import type { Images } from "../data/images.ts";

function batch(count: number, height: number, width: number, f: (n: number, i: number) => number) {
  const data = new Float32Array(count * height * width);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < height * width; i++) data[n * height * width + i] = f(n, i);
  }
  return { data, count, height, width } satisfies Images;
}

Deno.test("imageGridPng lays out rows × samples with gaps and exact grey levels", () => {
  const h = 5, w = 6, scale = GRID_SCALE, gap = GRID_GAP;
  // Distinct level per (row, sample, pixel), all multiples of 1/255.
  const rows = [0, 1, 2].map((r) =>
    batch(4, h, w, (n, i) => ((r * 80 + n * 31 + i * 7) % 256) / 255)
  );
  const png = decode(imageGridPng(rows));
  assertEquals(png.width, 4 * w * scale + 3 * gap);
  assertEquals(png.height, 3 * h * scale + 2 * gap);
  assertEquals(png.channels, 1);
  assertEquals(png.depth, 8);
  const at = (x: number, y: number) => png.data[y * png.width + x];
  for (const [r, n, py, px] of [[0, 0, 0, 0], [2, 3, 4, 5], [1, 2, 3, 1]]) {
    const expected = Math.round(rows[r].data[n * h * w + py * w + px] * 255);
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const x = n * (w * scale + gap) + px * scale + dx;
        const y = r * (h * scale + gap) + py * scale + dy;
        assertEquals(at(x, y), expected, `row ${r} sample ${n} pixel ${py},${px}`);
      }
    }
  }
  // Gaps are white: the column right of sample 0 and the row below row 0.
  for (let y = 0; y < png.height; y++) assertEquals(at(w * scale, y), 255);
  for (let x = 0; x < png.width; x++) assertEquals(at(x, h * scale + 1), 255);
});

Deno.test("imageGridPng clamps to [0, 1], maps NaN to black and checks shapes", () => {
  const values = [-0.5, 0.5, 1.7, NaN];
  const png = decode(imageGridPng([batch(1, 1, 4, (_, i) => values[i])]));
  const row = [...png.data.subarray(0, png.width)];
  assertEquals(row, [0, 128, 255, 0].flatMap((v) => Array(GRID_SCALE).fill(v)));
  assertThrows(
    () => imageGridPng([batch(2, 3, 3, () => 0), batch(3, 3, 3, () => 0)]),
    RangeError,
    "row 1",
  );
  assertThrows(() => imageGridPng([]), RangeError);
  assertThrows(() => imageGridPng([batch(0, 2, 2, () => 0)]), RangeError, "empty");
});

Deno.test("imageGridHtml places one labelled image per cell", () => {
  const rows = [batch(3, 2, 2, (n) => n / 4), batch(3, 2, 2, (n) => 1 - n / 4)];
  const markup = imageGridHtml(rows, {
    rowLabels: ["clean", "<noisy>"],
    colLabels: ["0", "1", "2"],
  });
  const sources = [...markup.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]);
  assertEquals(sources.length, 6);
  // Second row, third sample: 1 − 2/4 = 0.5 → 128 in every pixel.
  const cell = decode(Uint8Array.from(atob(sources[5]), (c) => c.charCodeAt(0)));
  assertEquals([cell.width, cell.height], [2, 2]);
  assertEquals([...cell.data], [128, 128, 128, 128]);
  assert(markup.includes("&lt;noisy&gt;") && !markup.includes("<noisy>"));
  assertEquals((markup.match(/width="6" height="6"/g) ?? []).length, 6);
  assertThrows(() => imageGridHtml(rows, { rowLabels: ["one"] }), RangeError, "row labels");
});

Deno.test("image grids keep their documented defaults: scale 3, gap 2", () => {
  assertEquals([GRID_SCALE, GRID_GAP], [3, 2]);
  const png = decode(imageGridPng([batch(2, 4, 4, () => 0.5)]));
  // Two 4×4 images at scale 3 with one 2-pixel gap between them.
  assertEquals([png.width, png.height], [2 * 4 * 3 + 2, 4 * 3]);
});
