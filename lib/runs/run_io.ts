/**
 * File I/O shared by run folders (lib/runs/experiment.ts) and sweep folders (lib/sweep/sweep.ts): one
 * JSON reader and one rule for folder names.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors.ts";

/** A run or sweep name: letters, digits, dot, dash and underscore, so it is a safe folder name. */
export const NAME_PATTERN = /^[A-Za-z0-9][\w.-]{0,127}$/;

/** The longest run or sweep name ({@linkcode NAME_PATTERN}). */
export const MAX_NAME_LENGTH = 128;

/**
 * A derived (default) name that fits {@linkcode MAX_NAME_LENGTH}: as it is when short
 * enough, else cut and ended with `-x` and 8 hex digits of the whole name's SHA-256, so two
 * long names still differ.
 *
 * @example
 * ```ts
 * import { assert } from "../_assert.ts";
 * import { fitName, MAX_NAME_LENGTH } from "./run_io.ts";
 * assert(fitName("a".repeat(300)).length <= MAX_NAME_LENGTH && fitName("ab") === "ab");
 * ```
 */
export function fitName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_NAME_LENGTH - 11)}-x${digest}`;
}

/**
 * Checks a run or sweep name against {@linkcode NAME_PATTERN}; `kind` starts the error
 * ("run name", "sweep name"). Throws {@linkcode InputError} with one line.
 *
 * @example
 * ```ts
 * import { assertThrows } from "../_assert.ts";
 * import { validateName } from "./run_io.ts";
 * validateName("run", "r1");
 * assertThrows(() => validateName("run", "../x"));
 * ```
 */
export function validateName(kind: string, name: string): string {
  if (name.length > MAX_NAME_LENGTH && NAME_PATTERN.test(name.slice(0, MAX_NAME_LENGTH))) {
    throw new InputError(
      `${kind} name "${name.slice(0, 24)}…" is ${name.length} characters long; ` +
        `at most ${MAX_NAME_LENGTH}`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new InputError(`${kind} name "${name}" must be letters, digits, ".", "-" or "_"`);
  }
  return name;
}

/**
 * Reads and parses a JSON file; undefined when it does not exist. Throws
 * {@linkcode InputError} (`cannot read PATH: …`, after `context` when given) when it exists
 * but is unreadable or not JSON.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../_assert.ts";
 * import { readJsonFile } from "./run_io.ts";
 * assertEquals(await readJsonFile("/nonexistent/x.json"), undefined);
 * ```
 */
export async function readJsonFile<T>(path: string, context = ""): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    const why = (e as Error).message.replace(/\s+/g, " ");
    throw new InputError(`${context}cannot read ${path}: ${why}`);
  }
}
