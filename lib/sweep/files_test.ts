import { assert, assertEquals, assertRejects, assertThrows } from "../_testing_assert.ts";
import { LockedError } from "../runs/lock.ts";
import { InputError } from "../errors.ts";
import { testRow } from "./_testing.ts";
import {
  claimCell,
  inShard,
  mergeSweepRows,
  parseShard,
  readSweepRows,
  summarizeRows,
  summaryCsv,
  SWEEP_LOCK_FILE,
  sweepCsv,
  withSweepLock,
} from "./files.ts";
import { sweepSettings } from "./plan.ts";
import { cellKey, perImageFile, planCells } from "./cells.ts";
import type { SweepRow } from "./plan.ts";
import { sha256Hex } from "../model/model_io.ts";
import { tInterval } from "../claims/stats.ts";

Deno.test("sweepCsv() writes one line per row, quotes commas and expands per-class MSE", () => {
  const csv = sweepCsv([testRow({ parameter: 'h=0.1, "x"', class_mse: [0.5, 0.25] })]);
  const [header, line] = csv.trim().split("\n");
  assert(header.startsWith("dataset,noise_type,method,variant,"), header);
  assert(header.endsWith(",mse_class_0,mse_class_1"), header);
  assert(line.includes('"h=0.1, ""x"""'), line);
  assert(line.endsWith(",0.5,0.25"), line);
});

Deno.test("summarizeRows: one line per cell, mean, SD and t-interval over its seeds", () => {
  const rows = [0.02, 0.021, 0.023].map((mse, seed) => testRow({ seed, mse, psnr: 17 + seed }));
  rows.push(testRow({ method: "median", seed: null, train_noise_factor: null, mse: 0.05 }));
  const s = summarizeRows(rows);
  assertEquals(s.length, 2);
  const ae = s.find((r) => r.method === "ae")!;
  const t = tInterval([0.02, 0.021, 0.023])!;
  assertEquals([ae.n, ae.seeds, ae.mse.low, ae.mse.high], [3, [0, 1, 2], t.low, t.high]);
  assertEquals(ae.psnr.mean, 18);
  const median = s.find((r) => r.method === "median")!;
  assert(median.n === 1 && Number.isNaN(median.mse.sd) && Number.isNaN(median.mse.low));
  const csv = summaryCsv(s).trim().split("\n");
  assertEquals(csv.length, 3);
  assert(csv[0].startsWith("method,variant,train_noise_factor,noise_factor,n,seeds,mse_mean"));
  assert(csv.some((l) => l.startsWith("median,,,0.5,1,,0.05,,,")), csv.join("\n"));
});

Deno.test("parseShard() reads K/N and refuses anything but 0 ≤ K < N in one line", () => {
  assertEquals(parseShard("0/1"), { index: 0, count: 1 });
  assertEquals(parseShard("3/7"), { index: 3, count: 7 });
  for (const bad of ["2/2", "1/0", "x", "-1/2", "1", "1/2/3", "0.5/2", "", "1 2"]) {
    const e = assertThrows(() => parseShard(bad), InputError);
    assert(!e.message.includes("\n") && e.message.startsWith("shard must be K/N"), e.message);
    assert(e.message.includes(`"${bad}"`), e.message);
  }
});

Deno.test("every planned cell falls in exactly one shard, and shards differ by at most one cell", () => {
  const settings = sweepSettings({ train: 64, test: 8, dataset: "mnist10k" });
  const cells = planCells(settings, {
    noise: [0.1, 0.3, 0.5, 0.7, 0.9],
    methods: ["ae", "dncnn", "median", "gaussian", "nlm"],
    ablations: true,
    cross: true,
    backend: "cpu",
  });
  assert(cells.length > 20, `${cells.length} cells`);
  for (const count of [1, 2, 3, 7, cells.length, cells.length + 3]) {
    const owners = cells.map((_, i) =>
      Array.from({ length: count }, (_, index) => index).filter((index) =>
        inShard(i, { index, count })
      )
    );
    assert(owners.every((o) => o.length === 1), `N = ${count}: a cell in ≠ 1 shard`);
    const sizes = Array.from({ length: count }, (_, k) => owners.filter((o) => o[0] === k).length);
    assert(Math.max(...sizes) - Math.min(...sizes) <= 1, `N = ${count}: sizes ${sizes}`);
  }
  // Without a shard every cell is in; the keys of the plan are distinct.
  assert(cells.every((_, i) => inShard(i)));
  assertEquals(new Set(cells.map(cellKey)).size, cells.length);
});

/** A test row whose per-image file (two test images) is written into `dir`, as a sweep does. */
async function scoredRow(dir: string, partial: Partial<SweepRow>): Promise<SweepRow> {
  const row = testRow({ test_images: 2, ...partial });
  const scores = { test_inputs_sha256: row.test_inputs_sha256, labels: [0, 1] };
  const text = new TextEncoder().encode(
    JSON.stringify({ ...scores, mse: [row.mse, row.mse], psnr: [17, 17], ssim: [0.7, 0.7] }),
  );
  const per_image = perImageFile(row);
  await Deno.mkdir(`${dir}/per_image`, { recursive: true });
  await Deno.writeFile(`${dir}/${per_image}`, text);
  return { ...row, per_image, per_image_sha256: await sha256Hex(text) };
}

Deno.test("mergeSweepRows() loses no row when many writers merge at once", async () => {
  const dir = await Deno.makeTempDir();
  const factors = Array.from({ length: 24 }, (_, i) => i / 10);
  const rows0 = await Promise.all(factors.map((f) => scoredRow(dir, { noise_factor: f })));
  // Started together, every merge reads, merges and writes: without the lock most rows vanish.
  await Promise.all(rows0.map((row) => mergeSweepRows(dir, [row])));
  const rows = await readSweepRows(dir);
  assertEquals(rows.map((r) => r.noise_factor).sort((a, b) => a - b), factors);
  // A row merged again replaces the stored one with the same cell key.
  await mergeSweepRows(dir, [await scoredRow(dir, { noise_factor: 0.5, psnr: 99 })]);
  const again = await readSweepRows(dir);
  assertEquals(again.length, factors.length);
  assertEquals(again.find((r) => r.noise_factor === 0.5)?.psnr, 99);
  assertEquals(new Set(again.map(cellKey)).size, again.length);
  // The lock file is gone once the writers are done.
  assert(!(await Deno.stat(`${dir}/${SWEEP_LOCK_FILE}`).then(() => true, () => false)));
});

Deno.test("withSweepLock() runs one writer at a time", async () => {
  const dir = await Deno.makeTempDir();
  let inside = 0;
  let most = 0;
  await Promise.all(Array.from({ length: 6 }, () =>
    withSweepLock(dir, async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 15));
      inside--;
    })));
  assertEquals(most, 1);
});

Deno.test("claimCell() gives a cell to one holder until it is released", async () => {
  const dir = await Deno.makeTempDir();
  const first = await claimCell(dir, "cell a");
  const e = await assertRejects(() => claimCell(dir, "cell a"), LockedError);
  assert(e.message.includes(`process ${Deno.pid}`), e.message);
  const other = await claimCell(dir, "cell b");
  first.release();
  other.release();
  const again = await claimCell(dir, "cell a");
  again.release();
  assertEquals([...Deno.readDirSync(dir)], []);
});
