/**
 * Test assertions with @std/assert's names, over `node:assert` (JSR is unreachable here).
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/** Asserts that `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Asserts deep equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Asserts deep inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Asserts |actual − expected| ≤ tolerance. @default tolerance 1e-7 */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  message?: string,
) {
  const fail = `expected ${actual} to be within ${tolerance} of ${expected}`;
  nodeAssert.ok(Math.abs(actual - expected) <= tolerance, message ?? fail);
}

/** Asserts that `fn` throws an `errorClass` whose message includes `includes`; returns it. */
export function assertThrows(fn: () => unknown, errorClass?: ErrorClass, includes?: string): Error {
  try {
    fn();
  } catch (e) {
    return check(e, errorClass, includes);
  }
  throw new nodeAssert.AssertionError({ message: "expected a throw" });
}

/** Async {@linkcode assertThrows}. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  errorClass?: ErrorClass,
  includes?: string,
): Promise<Error> {
  const error = await Promise.resolve().then(fn).then(() => undefined, (e) => e ?? null);
  if (error === undefined) throw new nodeAssert.AssertionError({ message: "expected a throw" });
  return check(error, errorClass, includes);
}

function check(e: unknown, errorClass?: ErrorClass, includes?: string): Error {
  nodeAssert.ok(e instanceof Error, `threw a non-Error: ${e}`);
  nodeAssert.ok(!errorClass || e instanceof errorClass, `expected ${errorClass?.name}, got ${e}`);
  const has = includes === undefined || e.message.includes(includes);
  nodeAssert.ok(has, `expected message to include "${includes}", got "${e.message}"`);
  return e;
}
