/**
 * Headless Chromium (playwright-core over Debian's Chromium) with a fresh profile and no network
 * services, collecting console errors and requests: for the tests and the report's PDFs.
 *
 * @module
 */

/** Flags of every headless Chromium the project starts. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** A page in a running headless Chromium. */
export interface Browser {
  /** Sends one DevTools protocol command to the page and returns its result. */
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Navigates to `url`, resolving once its load event fired. */
  goto(url: string): Promise<void>;
  /** PNG bytes of the viewport. */
  screenshot(): Promise<Uint8Array>;
  /** Console errors and uncaught exceptions so far. */
  errors: string[];
  /** URL of every request the page made so far. */
  requests: string[];
  /** Stops Chromium and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium on about:blank. The caller closes it.
 *
 * @param options `size` of the viewport in CSS pixels @default [1200, 900]; `executable`
 * @default "/usr/bin/chromium".
 */
export async function launchChromium(
  { size = [1200, 900], executable = "/usr/bin/chromium" }: {
    size?: [number, number];
    executable?: string;
  } = {},
): Promise<Browser> {
  // Imported here, so that importing this module loads nothing.
  const { chromium } = await import("playwright-core");
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: size[0], height: size[1] },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const cdp = await context.newCDPSession(page);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} ${m.location().url ?? ""}`.trim());
  });
  page.on("pageerror", (e) => errors.push(e.stack ?? e.message));
  page.on("request", (r) => requests.push(r.url()));
  return {
    errors,
    requests,
    // deno-lint-ignore no-explicit-any
    send: (method, params) => cdp.send(method as any, params) as Promise<Record<string, unknown>>,
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    async goto(url) {
      await page.goto(url);
    },
    screenshot: () => page.screenshot(),
    async close() {
      await context.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
