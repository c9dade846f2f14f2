/**
 * The commands' settings over the flag table `_flag_table.ts`, and the project's only
 * reads of the environment. A flag replaces its variable before validation
 * (`EPOCHS=0 deno task report --epochs 1` works); errors name what the user set.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  CONFIG_RANGES,
  DEFAULT_CONFIG,
  type ExperimentConfig,
  parseNumber,
} from "../lib/runs/config.ts";
import { InputError } from "../lib/errors.ts";
import { allCores, kernelOptionsFromEnv, setKernelOptions } from "../lib/kernels/kernel_options.ts";
import { type Command, FLAGS, type FlagSpec } from "./_flag_table.ts";

/** The flags of `command`, in `--help` order. */
export function flagsOf(command: Command): FlagSpec[] {
  return FLAGS.filter((f) => f.commands.includes(command));
}

/** The default of `spec` for `command`. */
export function defaultOf(spec: FlagSpec, command?: Command): string | number | boolean | null {
  return (command && spec.defaults?.[command]) ?? spec.default;
}

/** `--help` text of `command`: the `intro` lines, then one per flag with its default and variable. */
export function helpText(command: Command, ...intro: string[]): string {
  const specs = flagsOf(command);
  const width = Math.max(...specs.map((s) => s.flag.length)) + 2;
  const lines = [...intro, ""];
  for (const spec of specs) {
    const d = defaultOf(spec, command);
    const extra = [
      d !== null && spec.kind !== "boolean" ? `default: ${d}` : "",
      spec.env && command === "report" ? `env ${spec.env}` : "",
    ].filter((x) => x !== "").join("; ");
    lines.push(`  --${spec.flag.padEnd(width)} ${spec.help}${extra ? ` (${extra})` : ""}`);
  }
  return lines.join("\n");
}

/** Strict `node:util` parsing, one-line errors; "--noise -1" is taken as "--noise=-1". */
function parseFlags(
  args: string[],
  options: Record<string, { type: "string" | "boolean" }>,
): Record<string, string | boolean | undefined> {
  const joined: string[] = [];
  for (const a of args) {
    const prev = joined.at(-1);
    if (prev?.startsWith("--") && !prev.includes("=") && /^-[\d.]/.test(a)) {
      joined[joined.length - 1] = `${prev}=${a}`;
    } else joined.push(a);
  }
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // node:util's messages are long and multi-line; keep the first sentence.
    const msg = (e as Error).message.split("\n")[0].replace(/\. To specify.*$/, "");
    throw new InputError(`${msg} (see --help)`);
  }
}

/**
 * Settings by key (numbers parsed and range-checked, the rest as given) and the `labels` of
 * where each came from, the flag or the variable, for error messages.
 */
export interface Settings {
  values: Record<string, string | number | boolean>;
  labels: Record<string, string>;
}

/** Variables every command reads; `deno task report` reads every flag's. */
const EVERY_COMMAND_ENV = ["THREADS", "JOBS"];

/**
 * The settings of `command` from `args` over the variables of `env`, numbers range-checked;
 * the rest is `validateConfig`'s. Throws {@linkcode InputError}.
 */
export function readSettings(
  command: Command,
  args: string[],
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Settings {
  const specs = flagsOf(command);
  const options = Object.fromEntries(
    specs.map((s) => [s.flag, { type: s.kind === "boolean" ? "boolean" : "string" } as const]),
  );
  const flags = parseFlags(args, options);
  const values: Settings["values"] = {};
  const labels: Settings["labels"] = {};
  for (const spec of specs) {
    const read = spec.env && (command === "report" || EVERY_COMMAND_ENV.includes(spec.env));
    const fromEnv = read ? env[spec.env!] : undefined;
    const raw = flags[spec.flag] ?? (fromEnv === "" ? undefined : fromEnv);
    if (raw === undefined) continue;
    const label = flags[spec.flag] !== undefined ? spec.flag : spec.env!;
    labels[spec.key] = label;
    const range = spec.range ?? CONFIG_RANGES[spec.key];
    values[spec.key] = spec.kind === "number" ? parseNumber(label, raw, range) : raw;
  }
  return { values, labels };
}

/** The config fields of `settings` (the keys of {@linkcode DEFAULT_CONFIG}). */
export function configPart(settings: Settings): Partial<Record<keyof ExperimentConfig, unknown>> {
  const keys = Object.keys(DEFAULT_CONFIG);
  return Object.fromEntries(Object.entries(settings.values).filter(([k]) => keys.includes(k)));
}

/**
 * Threads of the wasm kernels (`key` "threads") or processes of a sweep ("jobs"): the flag,
 * else its variable (`THREADS`, `JOBS`), else every core.
 */
export function perCoreSetting(settings: Settings, key: "threads" | "jobs"): number {
  return (settings.values[key] as number | undefined) ?? allCores();
}

/** Sets this process's kernels to the variable `KERNEL_FMA` (lib/kernels/kernel_options.ts). */
export function applyKernelFma() {
  setKernelOptions({ fma: kernelOptionsFromEnv({ KERNEL_FMA: Deno.env.get("KERNEL_FMA") }).fma });
}
