/**
 * A one-node Slurm cluster on localhost for the tests: Debian's `slurm-wlm` and `munge`, a
 * minimal `slurm.conf` (no accounting, `select/cons_tres`), and `munged`, `slurmctld` and `slurmd`
 * started as root in the foreground, every file of theirs in one temp folder.
 * {@linkcode withLocalSlurm} stops every daemon it started, by PID, and removes that folder, even
 * when the callback throws.
 *
 * @module
 */
import { join } from "node:path";

/** Debian packages of the cluster. */
export const SLURM_PACKAGES = ["slurm-wlm", "munge"] as const;

const DAEMONS = ["munged", "slurmctld", "slurmd"] as const;

async function onPath(cmd: string): Promise<boolean> {
  const r = await new Deno.Command("sh", {
    args: ["-c", `command -v ${cmd}`],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  return r?.success ?? false;
}

/** Whether the daemons and `sbatch` are installed. */
export async function slurmInstalled(): Promise<boolean> {
  for (const cmd of [...DAEMONS, "sbatch"]) if (!(await onPath(cmd))) return false;
  return true;
}

/**
 * Why {@linkcode withLocalSlurm} cannot run here (one line), or null when it can: it needs
 * Linux and root (slurmd runs jobs as their user), and apt-get when the packages are missing.
 */
export async function slurmSkipReason(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "a local Slurm needs Linux";
  const installed = await slurmInstalled();
  if (Deno.uid() !== 0) {
    return installed
      ? "starting slurmd needs root"
      : `Slurm is not installed and installing it needs root: apt-get install ${
        SLURM_PACKAGES.join(" ")
      }`;
  }
  if (!installed && !(await onPath("apt-get"))) {
    return "Slurm is not installed and there is no apt-get";
  }
  return null;
}

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  const d = new TextDecoder();
  if (!r.success) {
    throw new Error(`\`${cmd} ${args.join(" ")}\` exited ${r.code}: ${d.decode(r.stderr).trim()}`);
  }
  return d.decode(r.stdout);
}

/** Installs {@linkcode SLURM_PACKAGES} with apt-get when missing (root only). */
export async function ensureSlurm(): Promise<void> {
  if (await slurmInstalled()) return;
  // Another apt-get may hold the lock for a while (CI installs Chromium too): wait for it.
  const lock = ["-o", "DPkg::Lock::Timeout=600"];
  await run("apt-get", ["update", "-q", ...lock]);
  const packages = [...SLURM_PACKAGES];
  console.error(`installing ${packages.join(" ")} with apt-get`);
  await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...lock, ...packages], {
    DEBIAN_FRONTEND: "noninteractive",
  });
}

/** A free TCP port on localhost (released before use; the daemons bind it right after). */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** The cluster {@linkcode withLocalSlurm} hands its callback. */
export interface LocalSlurm {
  /** Folder of the configuration, state, spool, sockets and logs. */
  dir: string;
  /** Environment for Slurm's commands (`SLURM_CONF`), to add to the parent's. */
  env: Record<string, string>;
  /** Node name (the machine's short hostname). */
  node: string;
  /** PIDs of munged, slurmctld and slurmd. */
  pids: number[];
  /** `slurm-wlm X.Y.Z`, from `sinfo --version`. */
  version: string;
  /** Runs a Slurm command (`sinfo`, `scontrol`, `squeue`, ...) and returns its stdout. */
  command(cmd: string, args: string[]): Promise<string>;
}

/** Options of {@linkcode withLocalSlurm}. */
export interface LocalSlurmOptions {
  /** CPUs of the node. @default min(2, the machine's) */
  cpus?: number;
  /** Seconds to wait for the node to become idle. @default 60 */
  startSeconds?: number;
}

/** Processes whose command line or environment names `dir`: daemons or jobs of that cluster. */
export function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name) || Number(e.name) === Deno.pid) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      const environ = Deno.readTextFileSync(`/proc/${e.name}/environ`);
      if (cmdline.includes(dir) || environ.includes(dir)) {
        found.push(`${e.name} ${cmdline.replaceAll("\0", " ").trim()}`);
      }
    } catch {
      // The process ended while we looked, or is not readable.
    }
  }
  return found;
}

function config(dir: string, node: string, cpus: number, memory: number): string {
  const ctld = freePort();
  let slurmd = freePort();
  while (slurmd === ctld) slurmd = freePort();
  return [
    "ClusterName=dae-test",
    `SlurmctldHost=${node}(127.0.0.1)`,
    `SlurmctldPort=${ctld}`,
    `SlurmdPort=${slurmd}`,
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${dir}/munge/munge.socket`,
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/log/slurmctld.log`,
    `SlurmdLogFile=${dir}/log/slurmd.log`,
    // No cgroups: a container may not delegate them.
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "JobCompType=jobcomp/none",
    "SelectType=select/cons_tres",
    "SchedulerType=sched/backfill",
    "MpiDefault=none",
    "ReturnToService=2",
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memory} State=UNKNOWN`,
    `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n");
}

interface Daemon {
  name: string;
  child: Deno.ChildProcess;
  logged: Promise<void>;
  exited?: Deno.CommandStatus;
}

async function tail(path: string): Promise<string> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.trim().split("\n").slice(-5).join("\n");
}

/**
 * Starts a one-node cluster (installing Slurm when missing), waits until `sinfo` shows the node
 * idle, runs `fn`, then cancels every job, stops the daemons by PID (SIGTERM, SIGKILL after 10 s)
 * and removes the folder: also when starting or `fn` fails. Throws when a process of the cluster
 * is left afterwards. Root only (see {@linkcode slurmSkipReason}).
 */
export async function withLocalSlurm<T>(
  fn: (slurm: LocalSlurm) => Promise<T>,
  options: LocalSlurmOptions = {},
): Promise<T> {
  await ensureSlurm();
  const dir = await Deno.makeTempDir({ prefix: "dae-slurm-" });
  const conf = join(dir, "slurm.conf");
  const env = { SLURM_CONF: conf };
  const daemons: Daemon[] = [];
  let [result, left]: [T | undefined, string[]] = [undefined, []];
  const command = (cmd: string, args: string[]) => run(cmd, args, env);
  const spawn = async (name: string, args: string[]) => {
    const log = await Deno.open(join(dir, "log", `${name}.stderr`), { write: true, create: true });
    const child = new Deno.Command(name, { args, env, stdout: "null", stderr: "piped" }).spawn();
    const d: Daemon = { name, child, logged: child.stderr.pipeTo(log.writable).catch(() => {}) };
    child.status.then((s) => d.exited = s);
    daemons.push(d);
  };
  try {
    for (const sub of ["state", "spool", "munge", "log"]) await Deno.mkdir(join(dir, sub));
    await Deno.chmod(dir, 0o755); // munged wants its socket's folders searchable
    const key = join(dir, "munge", "munge.key");
    await Deno.writeFile(key, crypto.getRandomValues(new Uint8Array(1024)), { mode: 0o400 });
    const node = Deno.hostname().split(".")[0];
    const hw = await run("slurmd", ["-C"]);
    const field = (k: string) => Number(new RegExp(`\\b${k}=(\\d+)`).exec(hw)?.[1]);
    const cpus = options.cpus ?? Math.min(2, field("CPUs"));
    await Deno.writeTextFile(conf, config(dir, node, cpus, field("RealMemory")));
    const m = join(dir, "munge");
    await spawn("munged", [
      "--foreground",
      "--force",
      `--key-file=${key}`,
      `--socket=${m}/munge.socket`,
      `--pid-file=${m}/munged.pid`,
      `--seed-file=${m}/munged.seed`,
      `--log-file=${dir}/log/munged.log`,
    ]);
    await waitFor(() => Deno.stat(`${m}/munge.socket`).then(() => true, () => false), 10, "munged");
    await spawn("slurmctld", ["-D", "-f", conf]);
    await spawn("slurmd", ["-D", "-f", conf, "-N", node]);
    const version = (await command("sinfo", ["--version"])).trim();
    const idle = async () => {
      const dead = daemons.find((d) => d.exited);
      if (dead) throw new Error(`${dead.name} exited ${dead.exited!.code}:\n${await logs(dir)}`);
      const state = await command("sinfo", ["-h", "-n", node, "-o", "%T"]).catch(() => "");
      return state.trim() === "idle";
    };
    await waitFor(idle, options.startSeconds ?? 60, `node ${node} idle`, () => logs(dir));
    const pids = daemons.map((d) => d.child.pid);
    result = await fn({ dir, env, node, pids, version, command });
  } finally {
    const jobs = await command("squeue", ["-h", "-o", "%A"]).catch(() => "");
    if (jobs.trim() !== "") await command("scancel", jobs.trim().split(/\s+/)).catch(() => "");
    for (const d of daemons.toReversed()) await stop(d);
    left = processesUsing(dir);
    await Deno.remove(dir, { recursive: true });
  }
  if (left.length > 0) throw new Error(`processes of the test cluster left: ${left.join("; ")}`);
  return result as T;
}

async function logs(dir: string): Promise<string> {
  const files = ["slurmctld.log", "slurmd.log", "munged.stderr", "slurmctld.stderr"];
  const parts = await Promise.all(
    files.map(async (f) => `${f}: ${await tail(join(dir, "log", f))}`),
  );
  return parts.join("\n");
}

async function stop(d: Daemon): Promise<void> {
  if (d.exited) return await d.logged;
  try {
    d.child.kill("SIGTERM");
  } catch {
    // Already exited.
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((r) => timer = setTimeout(() => r("late"), 10_000));
  if ((await Promise.race([d.child.status, late])) === "late") {
    try {
      d.child.kill("SIGKILL");
    } catch {
      // Exited meanwhile.
    }
    await d.child.status;
  }
  clearTimeout(timer);
  await d.logged;
}

async function waitFor(
  ready: () => Promise<boolean>,
  seconds: number,
  what: string,
  detail: () => Promise<string> = () => Promise.resolve(""),
): Promise<void> {
  const t0 = Date.now();
  while (!(await ready())) {
    if (Date.now() - t0 > seconds * 1000) {
      throw new Error(`${what}: not ready after ${seconds} s\n${await detail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
