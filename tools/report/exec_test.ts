import { join } from "node:path";
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import { followProgress } from "./exec.ts";

const EPOCH = { kind: "epoch", epochs: 2, loss: 0.03, val_loss: 0.03, images_per_second: 400 };

/** A temp feed file and a follower of it for `notebook`, collecting what it writes in `out`. */
async function following(notebook: string) {
  const dir = await Deno.makeTempDir();
  const feed = join(dir, "feed.jsonl");
  const out: string[] = [];
  const f = followProgress(feed, notebook, { write: (t) => out.push(t), intervalMs: 10 });
  return { dir, feed, out, f };
}

Deno.test("followProgress() prints one line per epoch with the run, and where it stopped", async () => {
  const { dir, feed, out, f } = await following("03_training.ipynb");
  const lines = [
    { kind: "run", name: "mnist-n0.5" },
    { kind: "log", text: "run: mnist-n0.5" },
    { kind: "begin", epochs: 2, startEpoch: 0, batches: 5 },
    { ...EPOCH, epoch: 1, eta: 61 },
    { ...EPOCH, epoch: 2, eta: 0 },
  ];
  await Deno.writeTextFile(feed, lines.slice(0, 4).map((l) => JSON.stringify(l) + "\n").join(""));
  await new Promise((r) => setTimeout(r, 60));
  assertEquals(f.where(), "03_training.ipynb (run mnist-n0.5, epoch 1/2)");
  await Deno.writeTextFile(feed, JSON.stringify(lines[4]) + "\n", { append: true });
  f.stop();
  const text = out.join("");
  assert(text.includes("03_training.ipynb: run: mnist-n0.5"), text);
  assert(
    text.includes(
      "03_training.ipynb  run mnist-n0.5  epoch 1/2  loss 0.03000  400 img/s  ETA 1m01s",
    ),
    text,
  );
  assert(text.includes("epoch 2/2"), text);
  assert(!text.includes("\r"), "plain lines, never redrawn");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("followProgress() keeps each writing process's run apart (a sweep's jobs)", async () => {
  const { dir, feed, out, f } = await following("05_noise_factors.ipynb");
  const lines = [
    { kind: "run", name: "run-a", pid: 11 },
    { kind: "run", name: "run-b", pid: 22 },
    { kind: "begin", epochs: 2, startEpoch: 0, batches: 5, pid: 11 },
    { kind: "begin", epochs: 2, startEpoch: 0, batches: 5, pid: 22 },
    { ...EPOCH, epoch: 1, eta: 1, pid: 11 },
    { ...EPOCH, epoch: 1, eta: 1, pid: 22 },
    { kind: "begin", epochs: 2, startEpoch: 0, batches: 5, pid: 33 },
    { ...EPOCH, epoch: 1, eta: 1, pid: 33 },
  ];
  await Deno.writeTextFile(feed, lines.map((l) => JSON.stringify(l) + "\n").join(""));
  await new Promise((r) => setTimeout(r, 60));
  f.stop();
  const text = out.join("");
  assert(text.includes("05_noise_factors.ipynb  run run-a  epoch 1/2"), text);
  assert(text.includes("05_noise_factors.ipynb  run run-b  epoch 1/2"), text);
  assert(text.includes("05_noise_factors.ipynb  run (unnamed)  epoch 1/2"), text);
  await Deno.remove(dir, { recursive: true });
});
