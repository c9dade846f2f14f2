/**
 * A run's identity is its content: every config key but {@linkcode NON_RESULT_KEYS}, a folder
 * dataset by the SHA-256 of its IDX files. A cached run is reused only for an equal identity.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { DATASET_NAMES } from "../data/datasets.ts";
import { findIdxFile, IDX_FILE_NAMES } from "../data/idx.ts";

/** Config keys that do not change a run's result (how, not what, it computes). */
const NON_RESULT_KEYS: readonly string[] = ["backend", "threads", "out"];

/** Key under which a folder dataset's fingerprint is recorded. */
export const DATASET_SHA256_KEY = "datasetSha256";

/**
 * This process's file hashes, keyed by path and stamp (inode, size, mtime and ctime, which no one
 * can set back). Deno reports ctime in whole seconds, so a hash taken in the same second as the
 * file's last change is not kept: the file is hashed again next time.
 */
const hashes = new Map<string, string>();

function statSyncOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
    throw e;
  }
}

/**
 * SHA-256 (hex) of a folder dataset: the hash of its four IDX files' hashes (see `hashes`);
 * `null` for a built-in name or a non-folder.
 *
 * @throws {IdxError} When the folder lacks one of the four files.
 */
export function datasetFingerprint(spec: string): string | null {
  const named = (DATASET_NAMES as readonly string[]).includes(spec);
  if (named || !statSyncOrNull(spec)?.isDirectory) return null;
  const dir = resolve(spec);
  const whole = createHash("sha256");
  for (const base of Object.values(IDX_FILE_NAMES)) {
    const path = findIdxFile(dir, base);
    const { ino, size, mtime, ctime } = Deno.statSync(path);
    const ctimeMs = ctime?.getTime() ?? 0;
    const key = JSON.stringify([path, ino, size, mtime?.getTime() ?? 0, ctimeMs]);
    let sha256 = hashes.get(key);
    if (!sha256) {
      // Taken before reading: a change while reading lands in this second or later.
      const settled = Math.floor(Date.now() / 1000) * 1000 > ctimeMs;
      sha256 = createHash("sha256").update(Deno.readFileSync(path)).digest("hex");
      if (settled) hashes.set(key, sha256);
    }
    whole.update(sha256);
  }
  return whole.digest("hex");
}

/** A dataset in a default name: its name, a folder as `FOLDER.FINGERPRINT8`, else `custom`. */
export function datasetNamePart(spec: string): string {
  const fingerprint = datasetFingerprint(spec);
  if (fingerprint === null) return /^[\w.-]+$/.test(spec) ? spec : "custom";
  const folder = basename(resolve(spec)).replace(/[^\w.]+/g, "_").slice(0, 32) || "idx";
  return `${folder}.${fingerprint.slice(0, 8)}`;
}

/** What `config.json` (or `sweep.json`) records: `config`, and a folder dataset's fingerprint. */
export function savedConfig<C extends { dataset: string }>(config: C): C {
  const fingerprint = datasetFingerprint(config.dataset);
  return fingerprint === null ? config : { ...config, [DATASET_SHA256_KEY]: fingerprint };
}

/** The settings that identify a result; a `saved` one keeps the fingerprint it recorded. */
export function runIdentity(
  config: Readonly<Record<string, unknown>>,
  saved = false,
): Record<string, unknown> {
  const id: Record<string, unknown> = { ...config };
  for (const k of NON_RESULT_KEYS) delete id[k];
  if (!saved && !(DATASET_SHA256_KEY in id) && typeof id.dataset === "string") {
    const fingerprint = datasetFingerprint(id.dataset);
    if (fingerprint !== null) id[DATASET_SHA256_KEY] = fingerprint;
  }
  if (DATASET_SHA256_KEY in id) delete id.dataset;
  return id;
}

function show(v: unknown): string {
  if (v === undefined) return "(none)";
  if (typeof v === "string" && /^[0-9a-f]{64}$/.test(v)) return v.slice(0, 12);
  return JSON.stringify(v);
}

/** Every key where a saved identity differs: `key A (saved) ≠ B (asked)`. */
export function identityDifferences(
  saved: Readonly<Record<string, unknown>>,
  requested: Readonly<Record<string, unknown>>,
): string[] {
  const a = runIdentity(saved, true);
  const b = runIdentity(requested);
  const all = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return all.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => {
      const label = k === DATASET_SHA256_KEY ? "dataset files (SHA-256)" : k;
      return `${label} ${show(a[k])} (saved) ≠ ${show(b[k])} (asked)`;
    });
}
