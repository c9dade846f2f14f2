import { assertEquals } from "./_testing_assert.ts";
import { InputError } from "./errors.ts";

Deno.test("InputError and its subclasses are named after their class", () => {
  class DiskError extends InputError {}
  const cause = new Error("ENOSPC");
  const e = new DiskError('disk full while writing "x"', { cause });
  assertEquals([new InputError("x").name, e.name, e.cause], ["InputError", "DiskError", cause]);
  assertEquals(String(e), 'DiskError: disk full while writing "x"');
});
