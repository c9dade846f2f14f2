import { assert, assertEquals } from "../_testing_assert.ts";
import { tInterval } from "./stats.ts";
import { verdict } from "./verdict.ts";

/** Three paired differences with mean `center` and sample SD `sd`. */
function around(center: number, sd = 1): number[] {
  return [center - sd, center, center + sd];
}

Deno.test("verdict() decides on the 95% t-interval over paired seeds", async (t) => {
  // Half-width of the interval for SD 1 over 3 seeds: 4.303 / √3 = 2.484.
  const half = tInterval(around(0))!.high;
  await t.step("claimed A < B", () => {
    assertEquals(verdict({ test: "less", differences: around(-half - 0.01) }).verdict, "supported");
    assertEquals(
      verdict({ test: "less", differences: around(-half + 0.01) }).verdict,
      "not resolved",
    );
    assertEquals(
      verdict({ test: "less", differences: around(half + 0.01) }).verdict,
      "contradicted",
    );
  });
  await t.step("claimed A > B", () => {
    assertEquals(
      verdict({ test: "greater", differences: around(half + 0.01) }).verdict,
      "supported",
    );
    assertEquals(
      verdict({ test: "greater", differences: around(-half - 0.01) }).verdict,
      "contradicted",
    );
  });
  await t.step("the reason names the interval and the p-value", () => {
    const r = verdict({ test: "less", differences: around(-3) });
    assert(
      r.reason.startsWith("below zero: 95% t-interval -3.00 [") && r.reason.includes("p = "),
      r.reason,
    );
    assert(r.interval!.high < 0 && r.p! < 0.05);
  });
});

Deno.test("verdict() says 'one seed' for one pair and 'not tested' for none or an untested condition", () => {
  for (const test of ["less", "greater", "equivalent"] as const) {
    const r = verdict({ test, differences: [-5], margin: 1 });
    assertEquals([r.verdict, r.interval, r.p], ["one seed", null, null]);
  }
  assertEquals(verdict({ test: "less", differences: [] }).verdict, "not tested");
  const r = verdict({
    test: "equivalent",
    differences: around(0),
    margin: 1,
    untested: "never fired",
  });
  assertEquals([r.verdict, r.reason], ["not tested", "never fired"]);
});

Deno.test("verdict() with a Holm-adjusted p decides on it, not on the raw interval", () => {
  const d = around(-3);
  assertEquals(verdict({ test: "less", differences: d }).verdict, "supported");
  assertEquals(verdict({ test: "less", differences: d, adjustedP: 0.2 }).verdict, "not resolved");
  assertEquals(verdict({ test: "less", differences: d, adjustedP: 0.01 }).verdict, "supported");
  assertEquals(
    verdict({ test: "greater", differences: d, adjustedP: 0.01 }).verdict,
    "contradicted",
  );
  assert(
    verdict({ test: "less", differences: d, adjustedP: 0.2 }).reason.includes("Holm-adjusted 0.2"),
  );
});

Deno.test("verdict() as an equivalence test (TOST): inside, beyond and across the margin", () => {
  const tost = (center: number, sd: number) =>
    verdict({ test: "equivalent", differences: around(center, sd), margin: 1 }).verdict;
  // 90% half-width for SD s over 3 seeds: 2.920 · s / √3 = 1.686 s.
  assertEquals(tost(0, 0.5), "supported");
  assertEquals(tost(0.2, 0.5), "not resolved");
  assertEquals(tost(0, 1), "not resolved");
  assertEquals(tost(-4, 0.2), "contradicted");
  assertEquals(tost(4, 0.2), "contradicted");
  assert(
    verdict({ test: "equivalent", differences: around(-4, 0.2), margin: 1 }).reason.includes(
      "a gain",
    ),
  );
});
