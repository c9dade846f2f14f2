/**
 * Headless Chromium driven over the Chrome DevTools protocol (a WebSocket), with a fresh
 * profile, no network services, and every console error and request collected: for the
 * tests, and for the report's PDFs (tools/_report_pdf.ts). Private (`_` prefix); nothing here
 * runs on import.
 *
 * @module
 */

/** Flags of every headless Chromium the tests start. */
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
  /** Sends one protocol command to the page and returns its result. */
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Navigates to `url` and resolves once its load event fired. */
  goto(url: string): Promise<void>;
  /** PNG bytes of the viewport. */
  screenshot(): Promise<Uint8Array>;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** URL of every request the page made so far (documents, scripts, images, fetches). */
  requests: string[];
  /** Stops Chromium and removes its profile. */
  close(): Promise<void>;
}

/** Options of {@linkcode launchChromium}. */
export interface LaunchOptions {
  /** Viewport width and height in CSS pixels. @default [1200, 900] */
  size?: [number, number];
  /** Chromium binary. @default "/usr/bin/chromium" */
  executable?: string;
}

/** Starts headless Chromium on about:blank. The caller closes it. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { size = [1200, 900], executable = "/usr/bin/chromium" } = options;
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  const child = spawnChromium(executable, size, profile);
  const ws = await pageSocket(await devToolsUrl(child));
  let nextId = 1;
  const pending = new Map<number, (m: Record<string, unknown>) => void>();
  const listeners: ((m: { method: string; params: Record<string, unknown> }) => void)[] = [];
  const errors: string[] = [];
  const requests: string[] = [];
  ws.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.id !== undefined) pending.get(m.id)?.(m);
    else for (const l of listeners) l(m);
  };
  listeners.push(({ method, params }) => {
    const error = consoleError(method, params);
    if (error !== undefined) errors.push(error);
    if (method === "Network.requestWillBeSent") {
      requests.push((params.request as { url: string }).url);
    }
  });
  function send(method: string, params: Record<string, unknown> = {}) {
    const id = nextId++;
    ws.send(JSON.stringify({ id, method, params }));
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      pending.set(id, (m) => {
        pending.delete(id);
        if (m.error) reject(new Error(`${method}: ${JSON.stringify(m.error)}`));
        else resolve(m.result as Record<string, unknown>);
      });
    });
  }
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Page.enable");
  await send("Network.enable");
  await send("Emulation.setDeviceMetricsOverride", {
    width: size[0],
    height: size[1],
    deviceScaleFactor: 1,
    mobile: false,
  });
  return {
    send,
    errors,
    requests,
    async evaluate<T>(expression: string): Promise<T> {
      const r = await send("Runtime.evaluate", {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      if (r.exceptionDetails) {
        const d = r.exceptionDetails as { text: string; exception?: { description?: string } };
        throw new Error(d.exception?.description ?? d.text);
      }
      return (r.result as { value: T }).value;
    },
    async goto(url: string) {
      const loaded = new Promise<void>((resolve) => {
        const l = (m: { method: string }) => {
          if (m.method === "Page.loadEventFired") {
            listeners.splice(listeners.indexOf(l), 1);
            resolve();
          }
        };
        listeners.push(l);
      });
      await send("Page.navigate", { url });
      await loaded;
    },
    async screenshot() {
      const r = await send("Page.captureScreenshot", { format: "png" });
      return Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0));
    },
    async close() {
      ws.close();
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** Spawns headless Chromium with a DevTools port, its stderr piped. */
function spawnChromium(
  executable: string,
  size: [number, number],
  profile: string,
): Deno.ChildProcess {
  return new Deno.Command(executable, {
    args: [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profile}`,
      `--window-size=${size[0]},${size[1]}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** The DevTools WebSocket URL Chromium prints on stderr; stderr is drained from then on. */
async function devToolsUrl(child: Deno.ChildProcess): Promise<string> {
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let wsUrl: string | undefined;
  while (wsUrl === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`chromium exited before listening:\n${seen}`);
    seen += value;
    wsUrl = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
  }
  // Keep draining stderr so Chromium never blocks on a full pipe.
  (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
  })();
  return wsUrl;
}

/** An open WebSocket to the first page of the Chromium listening at `wsUrl`. */
async function pageSocket(wsUrl: string): Promise<WebSocket> {
  const port = new URL(wsUrl).port;
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as {
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  const page = targets.find((t) => t.type === "page")!;
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  return ws;
}

/** The text of a console error, uncaught exception or error log entry; otherwise undefined. */
function consoleError(method: string, params: Record<string, unknown>): string | undefined {
  if (method === "Runtime.consoleAPICalled" && params.type === "error") {
    const args = params.args as { value?: unknown; description?: string }[];
    return args.map((a) => a.description ?? String(a.value)).join(" ");
  } else if (method === "Runtime.exceptionThrown") {
    const d = params.exceptionDetails as { text: string; exception?: { description?: string } };
    return d.exception?.description ?? d.text;
  } else if (method === "Log.entryAdded") {
    const entry = params.entry as { level: string; text: string; url?: string };
    if (entry.level === "error") return `${entry.text} ${entry.url ?? ""}`.trim();
  }
  return undefined;
}
