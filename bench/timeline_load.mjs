#!/usr/bin/env node
// How heavy and how fast the home page's timeline is on a large briefing: the page's bytes
// and Chromium's DOMContentLoaded and load times, served from the loopback interface.
//
// Usage: node bench/timeline_load.mjs SITE_OUT [--runs N] [--width PX]
//   SITE_OUT  a built site (the --out of `gloss build`), e.g. of the 2,000-event corpus:
//               cargo run --release --example gen_corpus -- --articles 500 --events 2000 --out /tmp/c
//               target/release/gloss build --root /tmp/c/gloss --out /tmp/c/site
//   --runs N  page loads measured, each in a fresh browser context (default 7)
//   --width PX  viewport width (default 1440); the height is 900
// Needs playwright-core from tests/browser (`cd tests/browser && npm ci`) and Chromium
// (CHROMIUM, default /usr/bin/chromium).
//
// Prints, for the home page: the HTML's size, every byte the page requested (HTML, CSS,
// scripts, images, all from this site), the page's height, how many timeline marks and
// counts it draws, then each run's DOMContentLoaded and load (ms from navigation start)
// and their medians.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { launchChromium, median } from "../tests/browser/lib.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const site = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (!site) {
  console.error("usage: node bench/timeline_load.mjs SITE_OUT [--runs N] [--width PX]");
  process.exit(2);
}
const runs = option("--runs", 7);
const width = option("--width", 1440);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
};

// A plain static server: the file as written, no compression, so the bytes are the page's.
const root = path.resolve(site);
const server = createServer(async (req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await launchChromium();
const times = [];
let weight = null;
try {
  for (let run = 0; run < runs; run++) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    const bodies = [];
    page.on("response", (r) => bodies.push(r.body().then((b) => b.length, () => 0)));
    await page.goto(url, { waitUntil: "load" });
    const t = await page.evaluate(() => {
      const [n] = performance.getEntriesByType("navigation");
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
    });
    times.push(t);
    if (!weight) {
      await page.waitForLoadState("networkidle");
      weight = await page.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        marks: document.querySelectorAll(".tl-m").length,
        counts: document.querySelectorAll(".tl-count-m").length,
        entries: document.querySelectorAll(".tl-e").length,
      }));
      const sizes = await Promise.all(bodies);
      weight.bytes = sizes.reduce((a, n) => a + n, 0);
      weight.requests = sizes.length;
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}

const html = (await stat(path.join(root, "index.html"))).size;
const mb = (n) => `${(n / 1_048_576).toFixed(2)} MB`;
console.log(`site: ${root}  viewport: ${width}×900  runs: ${runs}`);
console.log(`home HTML: ${mb(html)}; all ${weight.requests} requests: ${mb(weight.bytes)}`);
console.log(
  `height: ${weight.height} px; ${weight.marks} marks, ${weight.counts} counts, ${weight.entries} listed entries`,
);
for (const [i, t] of times.entries()) {
  console.log(`run ${i + 1}: DOMContentLoaded ${t.dcl.toFixed(0)} ms, load ${t.load.toFixed(0)} ms`);
}
console.log(
  `median: DOMContentLoaded ${median(times.map((t) => t.dcl)).toFixed(0)} ms, load ${median(times.map((t) => t.load)).toFixed(0)} ms`,
);
