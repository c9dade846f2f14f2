import { assert, assertEquals } from "../_assert.ts";
import { createRng } from "../data/random.ts";
import { type Interval, pairedBootstrap, tInterval } from "./stats.ts";
import { verdict } from "./verdict.ts";

/** An interval of half-width 1 around `center`. */
function around(center: number): Interval {
  return { estimate: center, low: center - 1, high: center + 1, level: 0.95 };
}

Deno.test("verdict() flips as the intervals cross zero", async (t) => {
  await t.step("claimed A < B", () => {
    const images = around(-2);
    assertEquals(verdict({ direction: "less", seeds: around(-1.5), images }).verdict, "supported");
    // Touching zero is not excluding it.
    assertEquals(verdict({ direction: "less", seeds: around(-1), images }).verdict, "not resolved");
    assertEquals(verdict({ direction: "less", seeds: around(0), images }).verdict, "not resolved");
    assertEquals(
      verdict({ direction: "less", seeds: around(1.5), images: around(2) }).verdict,
      "contradicted",
    );
  });
  await t.step("claimed A > B", () => {
    const seeds = around(3);
    assertEquals(
      verdict({ direction: "greater", seeds, images: around(1.01) }).verdict,
      "supported",
    );
    assertEquals(
      verdict({ direction: "greater", seeds, images: around(0.99) }).verdict,
      "not resolved",
    );
    assertEquals(
      verdict({ direction: "greater", seeds: around(-3), images: around(-1.01) }).verdict,
      "contradicted",
    );
  });
  await t.step("the two intervals disagree", () => {
    const r = verdict({ direction: "less", seeds: around(-2), images: around(2) });
    assertEquals(r.verdict, "not resolved");
    assert(r.reason.includes("seed interval below zero, image interval above zero"), r.reason);
  });
});

Deno.test("verdict() never supports (or contradicts) a claim on a single seed", () => {
  const oneSeed = tInterval([-5]);
  assertEquals(oneSeed, null);
  for (const images of [around(-10), around(10), around(0)]) {
    for (const direction of ["less", "greater"] as const) {
      const r = verdict({ direction, seeds: oneSeed, images });
      assertEquals(r.verdict, "not resolved");
      assert(r.reason.startsWith("no interval over seeds (one seed)"), r.reason);
    }
  }
  assertEquals(
    verdict({ direction: "less", seeds: around(-5), images: null }).verdict,
    "not resolved",
  );
});

Deno.test("verdict() on real intervals: a clear effect is supported, a tiny one is not resolved", () => {
  const rng = createRng(2);
  const clean = Array.from({ length: 1000 }, () => 0.02 + 0.005 * rng.next());
  // Arm A beats arm B by 0.001 per image (MSE lower), with little noise on top.
  const better = clean.map((x) => x - 0.001 + 0.0002 * rng.normal());
  const images = pairedBootstrap(better, clean, { seed: 1 });
  const seeds = tInterval([-0.0011, -0.0009, -0.001])!;
  assertEquals(verdict({ direction: "less", seeds, images }).verdict, "supported");
  assertEquals(verdict({ direction: "greater", seeds, images }).verdict, "contradicted");
  // Dropout 0.01782 vs 0.01780: a gap far inside the seed-to-seed spread.
  const tiny = tInterval([0.00002, -0.0003, 0.0004])!;
  assertEquals(verdict({ direction: "less", seeds: tiny, images }).verdict, "not resolved");
});
