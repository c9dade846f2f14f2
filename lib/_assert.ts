/**
 * Test assertions with @std/assert's names, over Node's built-in `node:assert`
 * (JSR, where @std/assert lives, is unreachable from this project's machines).
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

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
): void {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new nodeAssert.AssertionError({
      message: message ?? `expected ${actual} to be within ${tolerance} of ${expected}`,
      actual,
      expected,
    });
  }
}

/** Asserts that `fn` throws an instance of `errorClass` whose message includes `includes`. */
export function assertThrows(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  errorClass?: new (...args: any[]) => Error,
  includes?: string,
): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  return check(caught, errorClass, includes);
}

/** Async {@linkcode assertThrows}. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  errorClass?: new (...args: any[]) => Error,
  includes?: string,
): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  return check(caught, errorClass, includes);
}

function check(
  caught: unknown,
  // deno-lint-ignore no-explicit-any
  errorClass?: new (...args: any[]) => Error,
  includes?: string,
): Error {
  if (caught === undefined) throw new nodeAssert.AssertionError({ message: "expected a throw" });
  if (!(caught instanceof Error)) {
    throw new nodeAssert.AssertionError({ message: `threw a non-Error: ${caught}` });
  }
  const error: Error = caught;
  const seen = `${error.name}: ${error.message}`;
  if (errorClass && !(error instanceof errorClass)) {
    throw new nodeAssert.AssertionError({ message: `expected ${errorClass.name}, got ${seen}` });
  }
  if (includes !== undefined && !error.message.includes(includes)) {
    throw new nodeAssert.AssertionError({
      message: `expected message to include "${includes}", got "${error.message}"`,
    });
  }
  return error;
}
