/**
 * No script in a page: script-bearing strings fed through every sentence a notebook shows
 * (dataset paths, output paths, run and sweep names) are exported by the report's own
 * nbconvert exports (HTML, code-free HTML, slides) and loaded in headless Chromium, which
 * must build no element or attribute from them, while showing them as text.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../lib/_testing_assert.ts";
import { launchChromium } from "../lib/_chromium.ts";
import { reportComparison } from "../lib/claims/words.ts";
import { allClaims, claimsMarkdown } from "../lib/claims/claims.ts";
import { DEFAULT_CONFIG } from "../lib/runs/config.ts";
import { markdown } from "../lib/text.ts";
import { convertNotebooks } from "./report/pages.ts";

/** Each tries another way out of the text: raw HTML, a closed code span, a link, math. */
const HOSTILE = [
  "<img src=x onerror=document.title='PWNED'>",
  "a`<img src=x onerror=document.title='PWNED'>`b",
  "``</code><pwned-tag data-pwned=1>x</pwned-tag>",
  "<script>document.title='PWNED'</script>",
  "[click](javascript:document.title='PWNED') *b* _c_ $x$",
  "x\n\n# PWNED heading\n\n<b data-pwned=1>y</b>",
];

/** Every sentence that puts an outside string into Markdown, fed `s`. */
function sentences(s: string): string[] {
  const config = { ...DEFAULT_CONFIG, dataset: s };
  return [
    reportComparison({ test_mse: 0.01, noisy_mse: 0.1, epochs: 1 }, config),
    claimsMarkdown(allClaims({ name: s, rows: [], settings: { referenceNoise: 0.5, dataset: s } })),
    markdown`Saved in \`${s}\`:`,
    markdown`${s}`,
  ];
}

Deno.test("script-bearing strings in every sentence build no element in the exported pages", async () => {
  const dir = await Deno.makeTempDir();
  const outputs = HOSTILE.flatMap(sentences).map((text) => ({
    output_type: "display_data",
    metadata: {},
    data: { "text/markdown": text },
  }));
  const notebook = {
    cells: [{ cell_type: "code", execution_count: 1, metadata: {}, source: "1", outputs }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  await Deno.writeTextFile(join(dir, "01_hostile.ipynb"), JSON.stringify(notebook));
  await convertNotebooks(dir, ["01_hostile.ipynb"], ["Hostile"], new AbortController().signal);
  const pages = ["01_hostile.html", "code-free/01_hostile.html", "01_hostile.slides.html"];
  const browser = await launchChromium();
  try {
    for (const page of pages) {
      await browser.goto(`file://${join(dir, page)}`);
      await new Promise((r) => setTimeout(r, 300)); // let any onerror handler run
      const found = await browser.evaluate<{
        title: string;
        injected: string[];
        text: string;
      }>(`(() => {
        const injected = [];
        for (const el of document.querySelectorAll("*")) {
          const tag = el.tagName.toLowerCase();
          if (tag === "pwned-tag" || (tag === "img" && el.getAttribute("src") === "x")) {
            injected.push(tag);
          }
          if (tag === "script" && el.textContent.includes("PWNED")) injected.push("script");
          if (tag === "a" && /^javascript:/i.test(el.getAttribute("href") ?? "")) injected.push("a");
          if (/^h[1-6]$/.test(tag) && el.textContent.includes("PWNED")) injected.push(tag);
          for (const a of el.attributes) {
            if (/pwned/i.test(a.name) || /PWNED/.test(a.value)) injected.push(tag + "[" + a.name + "]");
          }
        }
        return { title: document.title, injected, text: document.body.innerText };
      })()`);
      assertEquals(found.injected, [], `${page}: elements built from the injected strings`);
      assert(found.title !== "PWNED", `${page}: a script ran`);
      // The strings are shown, as text.
      assert(found.text.includes("onerror=document.title='PWNED'"), `${page}: text missing`);
      assert(found.text.includes("<pwned-tag data-pwned=1>"), `${page}: text missing`);
    }
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
});
