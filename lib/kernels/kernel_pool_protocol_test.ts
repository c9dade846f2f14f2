import { Poller, SPIN_MS } from "./kernel_pool_protocol.ts";

/** `poller.poll` on an unchanged field: its result and whether it polled (took ≥ SPIN_MS). */
function pollUnchanged(poller: Poller, ctrl: Int32Array): { found: boolean; polled: boolean } {
  const start = performance.now();
  const found = poller.poll(ctrl, 0, 0);
  return { found, polled: performance.now() - start >= SPIN_MS };
}

Deno.test("a Poller sees a changed field at once", () => {
  const ctrl = new Int32Array(new SharedArrayBuffer(4));
  ctrl[0] = 1;
  if (!new Poller().poll(ctrl, 0, 0)) throw new Error("missed the change");
});

Deno.test("a Poller backs off after fruitless polls, doubling, and a find resets it", () => {
  const ctrl = new Int32Array(new SharedArrayBuffer(4));
  const poller = new Poller();
  // Fruitless poll 1 skips 1 round; poll 2 skips 2 rounds.
  const rounds = (n: number) =>
    Array.from({ length: n }, () => {
      const r = pollUnchanged(poller, ctrl);
      return r.found ? "F" : r.polled ? "P" : "s";
    }).join("");
  const before = rounds(5);
  if (before !== "PsPss") throw new Error(`rounds ${before}, expected PsPss`);
  ctrl[0] = 1;
  if (!poller.poll(ctrl, 0, 0)) throw new Error("missed the change");
  ctrl[0] = 0;
  // Without the reset, the next fruitless poll would skip 4 rounds.
  const after = rounds(3);
  if (after !== "PsP") throw new Error(`rounds ${after} after a find, expected PsP`);
});
