import { assert, assertEquals, assertThrows } from "../_testing_assert.ts";
import { pickSamples } from "./images.ts";

Deno.test("pickSamples is seeded, distinct, sorted and in range", () => {
  const a = pickSamples(10_000, 16, 42);
  assertEquals(a, pickSamples(10_000, 16, 42));
  assertEquals(a.length, 16);
  assertEquals(new Set(a).size, 16);
  assertEquals(a, [...a].sort((x, y) => x - y));
  for (const i of a) assert(Number.isInteger(i) && i >= 0 && i < 10_000);
  assert(a.join() !== pickSamples(10_000, 16, 43).join(), "another seed picks others");
  assertEquals(pickSamples(5, 5, 1), [0, 1, 2, 3, 4]);
  assertEquals(pickSamples(5, 0, 1), []);
  assertThrows(() => pickSamples(5, 6, 1), RangeError);
  assertThrows(() => pickSamples(5, -1, 1), RangeError);
});
