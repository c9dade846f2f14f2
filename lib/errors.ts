/**
 * The project's one error class for bad user input: a missing or malformed file,
 * an unknown option value. Command-line entry points print its message on one
 * line and exit with code 2; any other error is a bug and keeps its stack trace.
 *
 * @module
 */

/**
 * A user-facing input error whose message is one complete line.
 *
 * @example
 * ```ts
 * import { assert } from "./_assert.ts";
 * import { InputError } from "./errors.ts";
 * const e = new InputError("unknown dataset \"x\"");
 * assert(e.name === "InputError" && e instanceof Error);
 * ```
 */
export class InputError extends Error {
  /** Creates the error; `message` should be a single line that names the culprit. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // Subclasses set their own name; `new.target` keeps it right without repeating this line.
    this.name = new.target.name;
  }
}
