import { DOMParser } from "linkedom";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../_testing_assert.ts";
import {
  barChart,
  formatLearningRate,
  histogramChart,
  type HistoryRow,
  lossChart,
  metricChart,
} from "./charts.ts";
import { type ChartElement, SVG_NAMESPACE, svgString } from "./svg.ts";

// deno-lint-ignore no-explicit-any
type Dom = any;

function all(chart: ChartElement, selector: string): ChartElement[] {
  return Array.from(chart.querySelectorAll(selector));
}

function texts(chart: ChartElement, selector: string): (string | null)[] {
  return all(chart, selector).map((e) => e.textContent);
}

function num(element: ChartElement, name: string): number {
  return Number(element.getAttribute(name));
}

/** The colour Plot gave `series` in `chart`. */
function colorOf(chart: ChartElement, series: string): string {
  return (chart as Dom).scale("color").apply(series);
}

/**
 * A strict XML 1.0 well-formedness check for the subset charts use (elements,
 * quoted attributes, text, comments, the XML declaration): balanced tags, unique
 * attributes, only predefined or numeric entities, no raw "<" or "&" in text, and
 * every namespace prefix declared. linkedom's DOMParser is lenient (it repairs
 * unclosed tags), so it cannot serve as the check. Returns the root element name.
 */
function assertWellFormedXml(markup: string): string {
  const name = "[A-Za-z_][\\w.:-]*";
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const checkText = (text: string, where: string) => {
    const stripped = text.replace(entity, "");
    if (/[<&]/.test(stripped)) {
      throw new Error(`unescaped < or & in ${where}: ${text.slice(0, 60)}`);
    }
  };
  const stack: { tag: string; prefixes: Set<string> }[] = [];
  let root = "";
  let i = 0;
  const s = markup.replace(/^<\?xml[^?]*\?>\s*/, "");
  while (i < s.length) {
    const lt = s.indexOf("<", i);
    const text = s.slice(i, lt === -1 ? s.length : lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside root: ${text}`);
    checkText(text, "text");
    if (lt === -1) break;
    if (s.startsWith("<!--", lt)) {
      const end = s.indexOf("-->", lt);
      if (end === -1) throw new Error("unterminated comment");
      i = end + 3;
      continue;
    }
    const close = new RegExp(`^</(${name})\\s*>`).exec(s.slice(lt));
    if (close) {
      const open = stack.pop();
      if (!open || open.tag !== close[1]) throw new Error(`</${close[1]}> closes <${open?.tag}>`);
      i = lt + close[0].length;
      continue;
    }
    const start = new RegExp(`^<(${name})`).exec(s.slice(lt));
    if (!start) throw new Error(`bad markup at ${lt}: ${s.slice(lt, lt + 40)}`);
    if (stack.length === 0 && root !== "") throw new Error("second root element");
    let j = lt + start[0].length;
    const seen = new Set<string>();
    const prefixes = new Set(stack.at(-1)?.prefixes ?? ["xml"]);
    const attributes: string[] = [];
    const attribute = new RegExp(`^\\s+(${name})\\s*=\\s*("[^"]*"|'[^']*')`);
    for (let m = attribute.exec(s.slice(j)); m; m = attribute.exec(s.slice(j))) {
      if (seen.has(m[1])) throw new Error(`duplicate attribute ${m[1]} on <${start[1]}>`);
      seen.add(m[1]);
      checkText(m[2].slice(1, -1), `attribute ${m[1]}`);
      if (m[1].startsWith("xmlns:")) prefixes.add(m[1].slice(6));
      attributes.push(m[1]);
      j += m[0].length;
    }
    const end = /^\s*(\/?)>/.exec(s.slice(j));
    if (!end) throw new Error(`unterminated tag <${start[1]}>: ${s.slice(j, j + 40)}`);
    for (const n of [start[1], ...attributes]) {
      const prefix = n.includes(":") ? n.split(":")[0] : "";
      if (prefix && prefix !== "xmlns" && !prefixes.has(prefix)) {
        throw new Error(`undeclared prefix ${prefix} in ${n}`);
      }
    }
    if (root === "") root = start[1];
    if (!end[1]) stack.push({ tag: start[1], prefixes });
    i = j + end[0].length;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)!.tag}>`);
  if (root === "") throw new Error("no root element");
  return root;
}

function assertStandaloneSvg(markup: string): void {
  assertEquals(assertWellFormedXml(markup), "svg");
  const rootTag = markup.slice(0, markup.indexOf(">"));
  assert(rootTag.includes(`xmlns="${SVG_NAMESPACE}"`), `root lacks xmlns: ${rootTag}`);
  // linkedom parses it back as SVG.
  const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
  assertEquals(doc.documentElement.tagName.toLowerCase(), "svg");
}

const scripted: HistoryRow[] = [
  { epoch: 1, loss: 0.30, val_loss: 0.31, lr: 1e-3 },
  { epoch: 2, loss: 0.20, val_loss: 0.22, lr: 1e-3 },
  { epoch: 3, loss: 0.15, val_loss: 0.18, lr: 2e-4 }, // drop
  { epoch: 4, loss: 0.12, val_loss: 0.16, lr: 2e-4 },
  { epoch: 5, loss: 0.11, val_loss: 0.155, lr: 4e-5 }, // drop
  { epoch: 6, loss: 0.105, val_loss: 0.15, lr: 1e-4 }, // rise: not a drop
  { epoch: 7, loss: 0.10, val_loss: 0.149, lr: 1e-4 },
  { epoch: 8, loss: 0.098, val_loss: 0.148, lr: 2.5e-5 }, // drop
];

Deno.test("lossChart: Plot's title and legend, one line per series, a rule per lr drop", () => {
  const chart = lossChart(scripted, { title: "Training" });
  assertEquals(chart.tagName.toLowerCase(), "figure");
  assertEquals(texts(chart, "h2"), ["Training"]);
  assertEquals(texts(chart, ".chart-swatch"), ["loss", "val_loss"]);
  const lines = all(chart, 'g[aria-label="line"] path');
  assertEquals(lines.map((p) => p.getAttribute("stroke")), [
    colorOf(chart, "loss"),
    colorOf(chart, "val_loss"),
  ]);
  assert(lines[0].getAttribute("stroke") !== lines[1].getAttribute("stroke"));
  const rules = all(chart, 'g[aria-label="rule"] line');
  assertEquals(rules.length, 3);
  // Rules sit at epochs 3, 5 and 8, so their gaps (2 and 3 epochs) are in ratio 3 : 2.
  const xs = rules.map((r) => num(r, "x1")).sort((a, b) => a - b);
  assertAlmostEquals((xs[2] - xs[1]) / (xs[1] - xs[0]), 1.5, 1e-9);
  assertEquals(texts(chart, 'g[aria-label="text"] text'), [
    "lr → 2e-4",
    "lr → 4e-5",
    "lr → 2.5e-5",
  ]);
  assertEquals(texts(chart, 'g[aria-label="x-axis label"] text'), ["epoch →"]);
  assertEquals(texts(chart, 'g[aria-label="y-axis label"] text'), ["↑ loss"]);
  assertEquals(texts(chart, 'g[aria-label="x-axis tick label"] text'), [..."12345678"]);
  const markup = svgString(chart);
  assertStandaloneSvg(markup);
  assert(markup.includes(">Training</h2>") && markup.includes("val_loss"), markup);
});

Deno.test("lossChart without drops has no rules; logY switches the scale", () => {
  const flat = scripted.map((h) => ({ ...h, lr: 1e-3 }));
  const chart = lossChart(flat, { logY: true });
  assertEquals(all(chart, 'g[aria-label="rule"] line').length, 0);
  assertEquals((chart as Dom).scale("y").type, "log");
  assertEquals((lossChart(flat) as Dom).scale("y").type, "linear");
});

Deno.test("formatLearningRate is compact", () => {
  assertEquals(formatLearningRate(0.001), "1e-3");
  assertEquals(formatLearningRate(0.0002), "2e-4");
  assertEquals(formatLearningRate(0.00025), "2.5e-4");
  assertEquals(formatLearningRate(2e-4 * 0.2), "4e-5"); // 4.000000000000001e-5 rounds away
  assertEquals(formatLearningRate(1.5), "1.5e0");
});

Deno.test("metricChart draws one path per series, joined in x order, and every dot", () => {
  const methods = ["autoencoder", "median", "gaussian"];
  const xs = [0.7, 0.1, 0.5, 0.3]; // deliberately unsorted
  const rows = methods.flatMap((series, k) => xs.map((x) => ({ x, y: 30 - 10 * x - k, series })));
  const chart = metricChart(rows, { xLabel: "noise factor", yLabel: "PSNR (dB)", logX: true });
  const paths = all(chart, 'g[aria-label="line"] path');
  assertEquals(paths.map((p) => p.getAttribute("stroke")), methods.map((m) => colorOf(chart, m)));
  assertEquals(new Set(paths.map((p) => p.getAttribute("stroke"))).size, 3);
  for (const p of paths) {
    const px = [...p.getAttribute("d")!.matchAll(/[ML]([\d.]+),/g)].map((m) => Number(m[1]));
    assertEquals(px.length, 4);
    for (let i = 1; i < px.length; i++) assert(px[i] > px[i - 1], `path not in x order: ${px}`);
  }
  assertEquals(all(chart, 'g[aria-label="dot"] circle').length, 12);
  // The legend keeps the series' first-seen order, not Plot's sorted one.
  assertEquals(texts(chart, ".chart-swatch"), methods);
  assertEquals(texts(chart, 'g[aria-label="x-axis label"] text'), ["noise factor →"]);
  assertEquals(texts(chart, 'g[aria-label="y-axis label"] text'), ["↑ PSNR (dB)"]);
  assertEquals((chart as Dom).scale("x").type, "log");
  assertStandaloneSvg(svgString(chart));
});

Deno.test("histogramChart bins each series in its own panel, on a symlog axis", () => {
  // Domain [0, 1], 50 bins: "a" has 3 values in the first bin and 1 at 1 (the closed last
  // bin); 2 and NaN lie outside and are dropped. "b" has one value in each of two bins.
  const chart = histogramChart([
    { series: "a", values: new Float32Array([0, 0.01, 0.015, 1, 2, NaN]) },
    { series: "b", values: [0.25, 0.75] },
  ], { xLabel: "pixel value", yLabel: "pixels" });
  const panels = all(chart, 'g[aria-label="rect"] > g');
  assertEquals(panels.length, 2);
  for (const g of panels) assertEquals(all(g, "rect").length, 50);
  const heights = (g: ChartElement) => all(g, "rect").map((r) => num(r, "height"));
  const [a, b] = panels.map(heights);
  assertEquals(a.filter((h) => h > 0).length, 2);
  assertEquals(b.filter((h) => h > 0).length, 2);
  assert(a[0] > a[49] && a[49] > 0, `${a[0]} ${a[49]}`);
  assertAlmostEquals(b[12], b[37], 1e-9);
  assertEquals((chart as Dom).scale("y").type, "symlog");
  assertEquals(texts(chart, 'g[aria-label="fy-axis tick label"] text'), ["a", "b"]);
  assertEquals(texts(chart, 'g[aria-label="x-axis label"] text'), ["pixel value →"]);
  assertStandaloneSvg(svgString(chart));
});

Deno.test("barChart draws one bar per row, in order, with printed values", () => {
  const rows = [..."0123456789"].map((label, i) => ({
    label,
    value: 0.01 + 0.001 * ((i * 7) % 10),
  }));
  const chart = barChart(rows, { xLabel: "digit", yLabel: "MSE", title: "Error per class" });
  const bars = all(chart, 'g[aria-label="bar"] rect');
  assertEquals(bars.length, 10);
  const xs = bars.map((b) => num(b, "x"));
  for (let i = 1; i < xs.length; i++) assert(xs[i] > xs[i - 1], "bars keep input order");
  const heights = bars.map((b) => num(b, "height"));
  const tallest = heights.indexOf(Math.max(...heights));
  const largest = rows.findIndex((r) => r.value === Math.max(...rows.map((q) => q.value)));
  assertEquals(tallest, largest);
  assertEquals(
    texts(chart, 'g[aria-label="text"] text'),
    rows.map((r) => String(Number(r.value.toPrecision(3)))),
  );
  assertEquals(texts(chart, "h2"), ["Error per class"]);
  assertEquals(texts(chart, 'g[aria-label="x-axis label"] text'), ["digit"]);
  assertEquals(texts(chart, 'g[aria-label="y-axis label"] text'), ["↑ MSE"]);
  assertStandaloneSvg(svgString(chart));
});

Deno.test("svgString yields well-formed standalone SVG, escaping awkward text", () => {
  const plain = barChart([{ label: "<a & b>", value: 1 }]);
  // A chart without title or legend is an <svg>, already standalone.
  assertEquals(plain.tagName.toLowerCase(), "svg");
  assertEquals(svgString(plain), plain.outerHTML);
  assertStandaloneSvg(svgString(plain));
  const titled = barChart([{ label: "<a & b>", value: 1 }], { title: 'R&D "<test>"' });
  const markup = svgString(titled);
  assertStandaloneSvg(markup);
  assert(markup.includes("R&amp;D") && markup.includes("&lt;a &amp; b&gt;"), markup);
  // The file holds the chart, the title's row and the legend's.
  const height = (m: string) => m.slice(0, m.indexOf(">")).match(/height="(\d+)"/)?.[1];
  assertEquals(height(markup), "426");
  // Plot's own subtitle and caption, a row each.
  const worded = barChart([{ label: "a", value: 1 }], { subtitle: "sub", caption: "cap" });
  assertEquals([texts(worded, "h3"), texts(worded, "figcaption")], [["sub"], ["cap"]]);
  assertEquals(height(svgString(worded)), "452");
});

Deno.test("every chart keeps its documented defaults", async (t) => {
  const size = (c: ChartElement) => {
    const svg = c.tagName.toLowerCase() === "svg" ? c : all(c, "svg").at(-1)!;
    return [svg.getAttribute("width"), svg.getAttribute("height")];
  };
  const charts: [string, ChartElement][] = [
    ["lossChart", lossChart([{ epoch: 1, loss: 1, val_loss: 1, lr: 1e-3 }])],
    ["metricChart", metricChart([{ x: 0, y: 1, series: "a" }], { xLabel: "x", yLabel: "y" })],
    ["histogramChart", histogramChart([{ series: "a", values: [0, 1] }])],
    ["barChart", barChart([{ label: "a", value: 1 }])],
  ];
  for (const [name, chart] of charts) {
    await t.step(`${name}: 640×400, no title, black on white`, () => {
      assertEquals(size(chart), ["640", "400"]);
      assertEquals(all(chart, "h2").length, 0);
      assert(chart.getAttribute("style")!.includes("background: white"));
    });
  }
  await t.step("histogramChart: 50 bins over [0, 1], axes value and count", () => {
    const chart = histogramChart([{ series: "a", values: [-0.5, 0, 0.5, 1, 1.5] }]);
    assertEquals(all(chart, 'g[aria-label="rect"] rect').length, 50);
    assertEquals((chart as Dom).scale("x").domain, [0, 1]);
    assertEquals(texts(chart, 'g[aria-label="x-axis label"] text'), ["value →"]);
    assertEquals(texts(chart, 'g[aria-label="y-axis label"] text'), ["↑ count"]);
  });
  await t.step("lossChart: linear y axis labelled loss, legend of both series", () => {
    const chart = lossChart(scripted.slice(0, 2));
    assertEquals((chart as Dom).scale("y").type, "linear");
    assertEquals(texts(chart, 'g[aria-label="y-axis label"] text'), ["↑ loss"]);
    assertEquals(texts(chart, ".chart-swatch"), ["loss", "val_loss"]);
  });
  await t.step("barChart: values to 3 significant digits, no axis labels", () => {
    const chart = barChart([{ label: "a", value: 0.012345 }]);
    assertEquals(texts(chart, 'g[aria-label="text"] text'), ["0.0123"]);
    assertEquals(all(chart, 'g[aria-label="y-axis label"]').length, 0);
  });
});

Deno.test("one-point series (a 1-epoch run, one noise factor) draw without Plot's z warning", () => {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    const oneEpoch = lossChart([{ epoch: 1, loss: 0.3, val_loss: 0.31, lr: 1e-3 }]);
    const onePoint = metricChart(
      [{ x: 0.5, y: 20, series: "ae" }, { x: 0.5, y: 15, series: "median" }],
      { xLabel: "noise factor", yLabel: "PSNR (dB)" },
    );
    assertEquals(all(oneEpoch, 'g[aria-label="line"] path').length, 2);
    assertEquals(all(onePoint, 'g[aria-label="dot"] circle').length, 2);
  } finally {
    console.warn = original;
  }
  assertEquals(warnings.filter((w) => w.includes("implicit z")), []);
});
Deno.test("the assertWellFormedXml helper rejects broken markup", () => {
  for (
    const bad of [
      "<svg><g></svg>",
      "<svg a=1></svg>",
      '<svg a="1" a="2"/>',
      "<svg>a < b</svg>",
      "<svg>&nbsp;</svg>",
      '<svg><use xlink:href="#x"/></svg>',
      "<svg/><svg/>",
    ]
  ) {
    assertThrows(() => assertWellFormedXml(bad), Error);
  }
  assertEquals(
    assertWellFormedXml('<svg xmlns:xlink="x"><use xlink:href="#a"/>&amp;</svg>'),
    "svg",
  );
});
