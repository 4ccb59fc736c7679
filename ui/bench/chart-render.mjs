// Measures the revenue chart's library (uPlot) the way the dashboard uses it: four years of daily
// buckets (1,461) stacked by six platforms, bands between the cumulative series, in Debian's chromium
// through playwright-core (no browser download). Reports the first render (construct + draw) and the
// cost of one hover step (cursor move + redraw of the cursor layer), median of several runs.
//   node bench/chart-render.mjs [--runs 15] [--chromium /usr/bin/chromium]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const runs = Number(arg("--runs", "15"));
const executablePath = arg("--chromium", "/usr/bin/chromium");
const require = createRequire(import.meta.url);
const uplotJs = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.setContent(`<!doctype html><html><head><style>${uplotCss} body{margin:0;font:12px sans-serif}</style></head><body><div id="c" style="width:1100px"></div></body></html>`);
await page.addScriptTag({ content: uplotJs });

/* global uPlot */
const result = await page.evaluate(async (runs) => {
  const DAYS = 1461, PLATFORMS = 6;
  const start = Date.UTC(2022, 0, 1) / 1000;
  const xs = Array.from({ length: DAYS }, (_, i) => start + i * 86400);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const raw = Array.from({ length: PLATFORMS }, (_, p) => xs.map((_, i) => Math.round((50 + p * 20 + i / 20) * (0.5 + rnd())) ));
  const colors = ["#4f46e5", "#0891b2", "#db2777", "#ca8a04", "#16a34a", "#ea580c"];
  const el = document.getElementById("c");
  const build = () => {
    const acc = new Array(DAYS).fill(0);
    const stacked = raw.map((col) => col.map((v, k) => (acc[k] += v)));
    const data = [xs, ...stacked];
    const bands = stacked.slice(1).map((_, k) => ({ series: [k + 2, k + 1] }));
    const series = [{}, ...colors.map((c, i) => ({ label: "p" + i, stroke: c, width: 1.25, fill: c + "c7", paths: uPlot.paths.linear(), points: { show: false } }))];
    return { data, opts: { width: 1100, height: 260, legend: { show: false }, cursor: { points: { show: false }, y: false, drag: { x: false, y: false } }, scales: { x: { time: true } }, bands, series, hooks: {} } };
  };
  const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
  const first = [], hover = [];
  for (let r = 0; r < runs + 2; r++) {
    el.replaceChildren();
    const t0 = performance.now();
    const { data, opts } = build();
    let drawn = 0;
    opts.hooks.draw = [() => { drawn = performance.now(); }];
    const u = new uPlot(opts, data, el);
    await Promise.resolve(); // uPlot commits its first draw in a microtask
    await new Promise((res) => setTimeout(res, 0));
    if (!drawn) drawn = performance.now();
    if (r >= 2) first.push(drawn - t0); // first two are warm-up (JIT)
    // Hover: 400 cursor steps across the plot, each forcing the cursor layer to update.
    const w = u.over.clientWidth;
    const h0 = performance.now();
    for (let i = 0; i < 400; i++) { u.setCursor({ left: (i * 7) % w, top: 100 }); u.over.getBoundingClientRect(); }
    if (r >= 2) hover.push((performance.now() - h0) / 400);
    u.destroy();
  }
  return { points: DAYS * PLATFORMS, firstRenderMs: median(first), firstRenderMaxMs: Math.max(...first), hoverStepMs: median(hover), runs };
}, runs);

const version = JSON.parse(readFileSync(require.resolve("uplot/package.json"), "utf8")).version;
const browserVersion = browser.version();
await browser.close();
console.log(JSON.stringify({ library: `uplot ${version}`, browser: `chromium ${browserVersion}`, ...result }, null, 2));
console.log(`first render: median ${result.firstRenderMs.toFixed(1)} ms (max ${result.firstRenderMaxMs.toFixed(1)} ms) over ${result.runs} runs; hover step: ${(result.hoverStepMs * 1000).toFixed(0)} µs; budget 50 ms`);
if (result.firstRenderMs >= 50) process.exitCode = 1;
