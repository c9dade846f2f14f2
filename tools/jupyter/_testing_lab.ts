/**
 * Test helper: a JupyterLab server from the project's Jupyter environment on 127.0.0.1 with
 * a token, and a headless Chromium page on it (playwright-core with Debian's
 * `/usr/bin/chromium`). The server gets its own settings folder (autosave off, every cell
 * rendered, no news) and workspace folder, so the repository's notebooks are never written.
 * Private to the tests; nothing here runs on import.
 *
 * @module
 */
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../lib/_chromium.ts";
import { jupyterBin } from "./setup.ts";
import { killTree } from "../_process_tree.ts";

/** A running JupyterLab with a browser page on it. */
export interface Lab {
  /** The page, on JupyterLab with its app exposed as `window.jupyterapp`. */
  page: Page;
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** The server's token. */
  token: string;
  /** Calls the server's REST API (`/api/...`) with the token. */
  api(path: string, method?: string): Promise<unknown>;
  /** Stops the browser and the server (kernels included) and removes their folders. */
  close(): Promise<void>;
}

/** Options of {@linkcode startLab}. */
export interface LabOptions {
  /** The folder JupyterLab serves. */
  root: string;
  /** Viewport size in CSS pixels. @default [1400, 1000] */
  size?: [number, number];
}

const SETTINGS: Record<string, unknown> = {
  "@jupyterlab/docmanager-extension/plugin": { autosave: false },
  "@jupyterlab/notebook-extension/tracker": { windowingMode: "none" },
  "@jupyterlab/apputils-extension/notification": { fetchNews: "false", checkForUpdates: false },
};

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** Starts JupyterLab on `root` and opens it in headless Chromium. The caller closes it. */
export async function startLab(options: LabOptions): Promise<Lab> {
  const temp = await Deno.makeTempDir({ prefix: "jupyterlab-test-" });
  for (const [plugin, value] of Object.entries(SETTINGS)) {
    const file = join(temp, "settings", `${plugin}.jupyterlab-settings`);
    await Deno.mkdir(join(file, ".."), { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(value));
  }
  const port = freePort();
  const token = crypto.randomUUID().replaceAll("-", "");
  const base = `http://127.0.0.1:${port}`;
  const server = new Deno.Command(jupyterBin("jupyter"), {
    args: [
      "lab",
      "--no-browser",
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${options.root}`,
      "--LabApp.expose_app_in_browser=True",
      // The checkpoint JupyterLab writes when it opens a notebook: not beside the notebooks.
      `--FileCheckpoints.root_dir=${join(temp, "checkpoints")}`,
      ...(Deno.uid() === 0 ? ["--allow-root"] : []),
    ],
    env: {
      JUPYTERLAB_SETTINGS_DIR: join(temp, "settings"),
      JUPYTERLAB_WORKSPACES_DIR: join(temp, "workspaces"),
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // The server's log, shown when it does not come up.
  let log = "";
  const logged = server.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (log = (log + chunk).slice(-4000)) }),
  ).catch(() => {});
  const api = async (path: string, method = "GET") => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `token ${token}` },
    });
    const body = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${body}`);
    return body ? JSON.parse(body) : undefined;
  };
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close().catch(() => {});
    await killTree(server.pid);
    await server.status;
    await logged;
    await Deno.remove(temp, { recursive: true }).catch(() => {});
  };
  try {
    for (let i = 0;; i++) {
      try {
        await api("/api/status");
        break;
      } catch (e) {
        if (i >= 600) throw new Error(`jupyter lab did not start: ${e}\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const [width, height] = options.size ?? [1400, 1000];
    context = await chromium.launchPersistentContext(join(temp, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width, height },
    });
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(`${base}/lab?token=${token}`);
    await page.waitForFunction(() =>
      (globalThis as unknown as { jupyterapp?: unknown }).jupyterapp !== undefined
    );
    // Every plugin activated and the layout restored: the commands exist.
    await page.evaluate(() =>
      (globalThis as unknown as { jupyterapp: { restored: Promise<void> } }).jupyterapp.restored
    );
    return { page, base, token, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}
