import { assert, assertEquals, assertRejects } from "../_testing_assert.ts";
import { pathExists } from "./atomic.ts";
import { acquireLock, LockedError, waitWhileLocked } from "./lock.ts";

const LOCK_URL = new URL("./lock.ts", import.meta.url).href;

/** A child process that takes the lock, says so on stdout, then sleeps until killed. */
function spawnHolder(path: string): Deno.ChildProcess {
  const code = `import { acquireLock } from ${JSON.stringify(LOCK_URL)};
await acquireLock(${JSON.stringify(path)});
console.log("locked");
await new Promise((r) => setTimeout(r, 600_000));`;
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  return text.split("\n")[0];
}

Deno.test("acquireLock() refuses a second holder in this process and frees the file on release", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/.a.lock`;
  const lock = await acquireLock(path, 'run "a"');
  const e = await assertRejects(
    () => acquireLock(path, 'run "a"'),
    LockedError,
  ) as LockedError;
  assertEquals(e.pid, Deno.pid);
  assert(e.message.startsWith(`run "a" is in use by process ${Deno.pid}`), e.message);
  assert(!e.message.includes(dir), `the message names no path: ${e.message}`);
  lock.release();
  assert(!(await pathExists(path)), "release removes the lock file");
  using again = await acquireLock(path);
  assertEquals(await Deno.readTextFile(again.path), `${Deno.pid}\n`);
});

Deno.test("acquireLock() names another process's PID, and a SIGKILLed holder does not block", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/.b.lock`;
  const child = spawnHolder(path);
  try {
    assertEquals(await firstLine(child.stdout), "locked");
    const e = await assertRejects(() => acquireLock(path), LockedError) as LockedError;
    assertEquals(e.pid, child.pid);
    assert(e.message.includes(`process ${child.pid}`), e.message);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  // The killed holder left its file, stamped with its PID, but the OS dropped its lock.
  assertEquals(await Deno.readTextFile(path), `${child.pid}\n`);
  using lock = await acquireLock(path);
  assertEquals(await Deno.readTextFile(lock.path), `${Deno.pid}\n`);
});

Deno.test("acquireLock() never follows a symbolic link, and refuses a folder, in one line", async () => {
  const dir = await Deno.makeTempDir();
  // The target lies outside the folder being locked, as a planted link's would.
  const outside = await Deno.makeTempFile();
  await Deno.writeTextFile(outside, "precious\n");
  await Deno.symlink(outside, `${dir}/.sym.lock`);
  const e = await assertRejects(() => acquireLock(`${dir}/.sym.lock`), Error);
  assert(!(e instanceof LockedError) && e.message.includes("is a symbolic link"), e.message);
  assert(!e.message.includes("\n"), e.message);
  assertEquals(await Deno.readTextFile(outside), "precious\n");
  // A dangling link is refused too (creating through it would create the target).
  await Deno.symlink(`${dir}/nowhere`, `${dir}/.dangling.lock`);
  await assertRejects(() => acquireLock(`${dir}/.dangling.lock`), Error, "symbolic link");
  assertEquals(await pathExists(`${dir}/nowhere`), false);
  await Deno.mkdir(`${dir}/.dir.lock`);
  await assertRejects(() => acquireLock(`${dir}/.dir.lock`), Error, "is a folder");
});

Deno.test("waitWhileLocked() says once what it waits for, then takes the lock when it is free", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/.w.lock`;
  const held = await acquireLock(path, 'run "w"');
  const lines: string[] = [];
  let attempts = 0;
  using lock = await waitWhileLocked(() => {
    // The holder lets go only after the second refused attempt: the line is said once.
    if (++attempts === 3) held.release();
    return acquireLock(path, 'run "w"');
  }, { log: (l) => lines.push(l) });
  assertEquals(lines, [`waiting: run "w" is in use by process ${Deno.pid}`]);
  assertEquals(await Deno.readTextFile(lock.path), `${Deno.pid}\n`);
  // Any other error ends the wait at once.
  await assertRejects(
    () => waitWhileLocked(() => Promise.reject(new Error("boom"))),
    Error,
    "boom",
  );
});
