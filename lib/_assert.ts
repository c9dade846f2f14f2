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
  const fail = message ?? `expected ${actual} to be within ${tolerance} of ${expected}`;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new nodeAssert.AssertionError({ message: fail });
  }
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
  try {
    await fn();
  } catch (e) {
    return check(e, errorClass, includes);
  }
  throw new nodeAssert.AssertionError({ message: "expected a throw" });
}

function check(caught: unknown, errorClass?: ErrorClass, includes?: string): Error {
  const fail = (message: string) => new nodeAssert.AssertionError({ message });
  if (!(caught instanceof Error)) throw fail(`threw a non-Error: ${caught}`);
  const error: Error = caught;
  const seen = `${error.name}: ${error.message}`;
  if (errorClass && !(error instanceof errorClass)) {
    throw fail(`expected ${errorClass.name}, got ${seen}`);
  }
  if (includes !== undefined && !error.message.includes(includes)) {
    throw fail(`expected message to include "${includes}", got "${error.message}"`);
  }
  return error;
}
