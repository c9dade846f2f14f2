import { join } from "node:path";
import { assert, assertEquals } from "../lib/_assert.ts";
import { ensureKernelspec, stableDenoPath } from "./setup.ts";
import { ensureJupyterEnv, jupyterBin, REQUIREMENTS_FILE } from "./_jupyter_env.ts";

Deno.test("ensureKernelspec() installs a stable Deno and repairs a kernelspec whose binary is gone", async () => {
  const root = await Deno.makeTempDir();
  const home = join(root, "home");
  const dataDir = join(root, "jupyter");
  // A stand-in for npx's cached Deno: a file that will disappear.
  const cached = join(root, "npx-cache", "deno");
  await Deno.mkdir(join(root, "npx-cache"));
  await Deno.writeTextFile(cached, "#!/bin/sh\necho deno\n");
  const specPath = join(dataDir, "kernels", "deno", "kernel.json");
  const options = { home, jupyterDataDir: dataDir, deno: cached };

  const stable = await ensureKernelspec(options);
  assertEquals(stable, stableDenoPath(home));
  const spec = JSON.parse(await Deno.readTextFile(specPath));
  assertEquals(spec.argv, [stable, "jupyter", "--kernel", "--conn", "{connection_file}"]);
  assertEquals(await Deno.readTextFile(stable), "#!/bin/sh\necho deno\n");

  // npx's cache is cleared: the kernel still has its binary.
  await Deno.remove(join(root, "npx-cache"), { recursive: true });
  assert((await Deno.stat(stable)).isFile);

  // A kernelspec pointing at a binary that is gone is rewritten.
  await Deno.writeTextFile(specPath, JSON.stringify({ argv: ["/gone/deno", "jupyter"] }));
  await Deno.writeTextFile(join(root, "again"), "x");
  await ensureKernelspec({ ...options, deno: join(root, "again") });
  assertEquals(JSON.parse(await Deno.readTextFile(specPath)).argv[0], stable);

  // The stable binary itself deleted: placed again from the running Deno.
  await Deno.remove(stable);
  await ensureKernelspec({ ...options, deno: join(root, "again") });
  assertEquals(await Deno.readTextFile(stable), "x");
  await Deno.remove(root, { recursive: true });
});

Deno.test("the project's Jupyter environment holds the pinned versions and the deno kernelspec", async () => {
  const dir = await ensureJupyterEnv();
  const pins = (await Deno.readTextFile(REQUIREMENTS_FILE)).split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((l) => l.split("=="));
  const r = await new Deno.Command(jupyterBin("python", dir), {
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
