/**
 * The error class for bad user input (a missing or malformed file, an unknown option value):
 * commands print its one-line message and exit 2; any other error is a bug and keeps its stack.
 *
 * @module
 */

/** A user-facing input error whose message is one line naming the culprit. */
export class InputError extends Error {
  /** The class's own name, a subclass's included. */
  override name = this.constructor.name;
}
