import { join } from "node:path";
import { assert, assertEquals } from "../../lib/_testing_assert.ts";
import {
  ensureJupyterEnv,
  ensureKernelspec,
  jupyterBin,
  output,
  REQUIREMENTS_FILE,
  stableDenoPath,
} from "./setup.ts";

/** A stand-in for npx's cached Deno, and the kernelspec's folders laid out as in `.venv-jupyter/`. */
async function sandbox() {
  const root = await Deno.makeTempDir();
  const dataDir = join(root, ".venv-jupyter", "share", "jupyter");
  const cached = join(root, "npx-cache", "deno");
  await Deno.mkdir(join(root, "npx-cache"));
  await Deno.writeTextFile(cached, "#!/bin/sh\necho deno\n");
  const specPath = join(dataDir, "kernels", "deno", "kernel.json");
  const options = { home: join(root, "home"), jupyterDataDir: dataDir, deno: cached };
  const spec = async () => JSON.parse(await Deno.readTextFile(specPath));
  return { root, cached, specPath, options, spec };
}

Deno.test("ensureKernelspec() installs a stable Deno and repairs a kernelspec whose binary is gone", async () => {
  const { root, specPath, options, spec } = await sandbox();
  const stable = await ensureKernelspec(options);
  assertEquals(stable, stableDenoPath(options.home));
  assertEquals((await spec()).argv, [stable, "jupyter", "--kernel", "--conn", "{connection_file}"]);
  assertEquals(await Deno.readTextFile(stable), "#!/bin/sh\necho deno\n");
  // npx's cache is cleared: the kernel still has its binary.
  await Deno.remove(join(root, "npx-cache"), { recursive: true });
  assert((await Deno.stat(stable)).isFile);
  // A kernelspec pointing at a binary that is gone is rewritten.
  await Deno.writeTextFile(join(root, "again"), "x");
  await Deno.writeTextFile(specPath, JSON.stringify({ argv: ["/gone/deno", "jupyter"] }));
  await ensureKernelspec({ ...options, deno: join(root, "again") });
  assertEquals((await spec()).argv[0], stable);
  // The stable binary itself deleted: placed again from the running Deno.
  await Deno.remove(stable);
  await ensureKernelspec({ ...options, deno: join(root, "again") });
  assertEquals(await Deno.readTextFile(stable), "x");
  await Deno.remove(root, { recursive: true });
});

Deno.test("ensureKernelspec() keeps a user's own env and extra arguments in the deno kernelspec", async () => {
  const { root, specPath, options, spec } = await sandbox();
  const stable = await ensureKernelspec(options);
  const own = {
    argv: ["/usr/bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}", "--unstable"],
    display_name: "My Deno",
    language: "typescript",
    env: { DENO_DIR: "/home/me/.deno-cache" },
  };
  await Deno.writeTextFile(specPath, JSON.stringify(own));
  await ensureKernelspec(options);
  assertEquals(await spec(), {
    ...own,
    argv: [stable, ...own.argv.slice(1)],
    metadata: {},
    interrupt_mode: "signal",
  });
  // A kernelspec already right is left byte for byte.
  const before = await Deno.readTextFile(specPath);
  await ensureKernelspec(options);
  assertEquals(await Deno.readTextFile(specPath), before);
  await Deno.remove(root, { recursive: true });
});

Deno.test("ensureKernelspec() replaces a wrong file at the stable binary's path", async () => {
  const { root, cached, options } = await sandbox();
  const stable = await ensureKernelspec(options);
  await Deno.remove(stable);
  await Deno.writeTextFile(stable, "not deno at all");
  await ensureKernelspec(options);
  assertEquals(await Deno.readTextFile(stable), await Deno.readTextFile(cached));
  // Same size, other bytes: still found.
  await Deno.remove(stable);
  await Deno.writeTextFile(stable, "#!/bin/sh\necho DENO\n");
  await ensureKernelspec(options);
  assertEquals(await Deno.readTextFile(stable), await Deno.readTextFile(cached));
  await Deno.remove(root, { recursive: true });
});

Deno.test("ensureKernelspec() repairs a bad argv and a kernelspec that is not JSON", async () => {
  const { root, specPath, options, spec } = await sandbox();
  const stable = await ensureKernelspec(options);
  const right = [stable, "jupyter", "--kernel", "--conn", "{connection_file}"];
  for (
    const bad of [
      { argv: [stable] },
      { argv: [stable, "jupyter", "--conn", "/tmp/stale.json"] },
      { argv: "deno jupyter" },
      { env: { A: "1" } },
    ]
  ) {
    await Deno.writeTextFile(specPath, JSON.stringify(bad));
    await ensureKernelspec(options);
    assertEquals((await spec()).argv, right, JSON.stringify(bad));
  }
  assertEquals((await spec()).env, { A: "1" });
  await Deno.writeTextFile(specPath, "{ not json");
  await ensureKernelspec(options);
  assertEquals((await spec()).argv, right);
  assertEquals((await spec()).language, "typescript");
  await Deno.remove(root, { recursive: true });
});

Deno.test("the project's Jupyter environment holds the pinned versions and the deno kernelspec", async () => {
  await ensureJupyterEnv();
  const pins = (await Deno.readTextFile(REQUIREMENTS_FILE)).split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((l) => l.split("=="));
  const r = await new Deno.Command(jupyterBin("python"), {
    args: [
      "-c",
      "import json, sys\nfrom importlib.metadata import version\n" +
      "print(json.dumps([version(n) for n in sys.argv[1:]]))\n" +
      "from jupyter_client.kernelspec import KernelSpecManager\n" +
      "print(json.dumps(KernelSpecManager().get_kernel_spec('deno').to_dict()))",
      ...pins.map(([name]) => name),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  const [versions, spec] = new TextDecoder().decode(r.stdout).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assertEquals(versions, pins.map(([, v]) => v));
  assertEquals(spec.language, "typescript");
  assertEquals(spec.argv[0], await ensureKernelspec());
  assert((await Deno.stat(spec.argv[0])).isFile);
});

Deno.test("output() is undefined for a command that is not installed, not a NotFound crash", async () => {
  assertEquals(await output("no-such-command-for-setup-test", []), undefined);
  assertEquals((await output("echo", ["hi"]))?.trim(), "hi");
});
