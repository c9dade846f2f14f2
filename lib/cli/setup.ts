/**
 * `deno task setup [--for report|test]`: makes sure what the notebooks and tests need is
 * installed: Jupyter's nbconvert (Debian packages), the Deno Jupyter kernelspec pointing at
 * this Deno, and for tests also headless Chromium and Fashion-MNIST. On Debian as root it
 * installs what is missing with apt-get; elsewhere it prints the exact command and exits 2.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { runMain } from "./_main.ts";

/** Debian packages per purpose. */
export const DEBIAN_PACKAGES = {
  report: ["jupyter-nbconvert", "python3-nbclient", "jupyter-client"],
  test: [
    "jupyter-nbconvert",
    "python3-nbclient",
    "jupyter-client",
    "chromium",
    "dataset-fashion-mnist",
  ],
} as const;

async function output(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return r.success ? new TextDecoder().decode(r.stdout) : undefined;
  } catch {
    return undefined;
  }
}

async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of packages) {
    const s = await output("dpkg-query", ["-W", "-f=${Status}", p]);
    if (!s?.includes("install ok installed")) missing.push(p);
  }
  return missing;
}

async function run(cmd: string, args: string[]): Promise<void> {
  console.error(`setup: ${cmd} ${args.join(" ")}`);
  const r = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }).output();
  if (!r.success) throw new InputError(`setup: \`${cmd} ${args.join(" ")}\` failed`);
}

/** Installs what `purpose` needs (see the module doc). */
export async function ensurePrerequisites(purpose: "report" | "test"): Promise<void> {
  const hasApt = (await output("apt-get", ["--version"])) !== undefined;
  const missing = hasApt ? await missingPackages(DEBIAN_PACKAGES[purpose]) : [];
  if (missing.length > 0) {
    const install = `apt-get update && apt-get install -y --no-install-recommends ${
      missing.join(" ")
    }`;
    if (Deno.uid() !== 0) {
      throw new InputError(`missing Debian packages; run: sudo sh -c '${install}'`);
    }
    await run("apt-get", ["update", "-q"]);
    await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing]);
  }
  if ((await output("jupyter", ["nbconvert", "--version"])) === undefined) {
    throw new InputError(
      "jupyter nbconvert not found; on Debian/Ubuntu: apt-get install jupyter-nbconvert " +
        "python3-nbclient jupyter-client (or pip install nbconvert nbclient)",
    );
  }
  // The kernelspec records the absolute path of the Deno that installed it; refresh it when
  // that is not this Deno (npx caches Deno in a versioned folder).
  const specs = await output("jupyter", ["kernelspec", "list", "--json"]);
  const deno = specs ? JSON.parse(specs).kernelspecs?.deno : undefined;
  const argv0: string | undefined = deno?.spec?.argv?.[0];
  const same = argv0 !== undefined &&
    (await Deno.realPath(argv0).catch(() => "")) === (await Deno.realPath(Deno.execPath()));
  if (!same) {
    await run(Deno.execPath(), ["jupyter", "--install", "--force"]);
  }
}

if (import.meta.main) {
  await runMain(async () => {
    const i = Deno.args.indexOf("--for");
    const purpose = i >= 0 ? Deno.args[i + 1] : "report";
    if (purpose !== "report" && purpose !== "test") {
      throw new InputError(`--for must be report or test, got "${purpose}"`);
    }
    await ensurePrerequisites(purpose);
    return 0;
  });
}
