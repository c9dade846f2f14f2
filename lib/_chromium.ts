/**
 * Headless Chromium (playwright-core over Debian's Chromium) with a fresh profile and no network
 * services, collecting console errors and requests: for the tests and the report's PDFs.
 *
 * @module
 */

/** Debian's Chromium, which every headless Chromium of the project runs. */
export const CHROMIUM = "/usr/bin/chromium";

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

/** A page in a running headless Chromium: see {@linkcode launchChromium}. */
export type Browser = Awaited<ReturnType<typeof launchChromium>>;

/**
 * Starts headless Chromium on about:blank; the caller closes it. The page `send`s DevTools
 * protocol commands, `evaluate`s an expression (awaiting a promise) to its JSON value, `goto`s
 * a URL until its load event, takes a PNG `screenshot` of the viewport, collects console
 * `errors` and uncaught exceptions and the URL of every request (`requests`), and `close`
 * stops Chromium and removes its profile.
 *
 * @param options `size` of the viewport in CSS pixels @default [1200, 900].
 */
export async function launchChromium({ size = [1200, 900] }: { size?: [number, number] } = {}) {
  // Imported here, so that importing this module loads nothing.
  const { chromium } = await import("playwright-core");
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
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
    send: (method: string, params?: Record<string, unknown>) =>
      // deno-lint-ignore no-explicit-any
      cdp.send(method as any, params) as Promise<Record<string, unknown>>,
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    goto: (url: string) => page.goto(url).then(() => {}),
    screenshot: () => page.screenshot(),
    async close() {
      await context.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
