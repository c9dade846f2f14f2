/**
 * Small text helpers shared by figures, notebooks, claims and the report: HTML escaping,
 * plurals and decibel formatting.
 *
 * @module
 */

/**
 * Escapes text for HTML content and double-quoted attributes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { escapeHtml } from "./text.ts";
 * assertEquals(escapeHtml('<a href="x">'), "&lt;a href=&quot;x&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * `n` and a noun, plural unless `n` is 1: `plural(1, "epoch")` is "1 epoch".
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { plural } from "./text.ts";
 * assertEquals([plural(1, "epoch"), plural(3, "epoch")], ["1 epoch", "3 epochs"]);
 * ```
 */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * Decibels to two decimals, e.g. "17.99 dB"; `signed` adds "+" or "−".
 *
 * @example
 * ```ts
 * import { assertEquals } from "./_assert.ts";
 * import { db } from "./text.ts";
 * assertEquals([db(17.994), db(-0.5, true)], ["17.99 dB", "−0.50 dB"]);
 * ```
 */
export function db(x: number, signed = false): string {
  const sign = signed ? (x >= 0 ? "+" : "−") : "";
  return `${sign}${(signed ? Math.abs(x) : x).toFixed(2)} dB`;
}
