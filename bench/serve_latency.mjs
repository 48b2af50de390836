#!/usr/bin/env node
// Save-to-served latency of `gloss serve`: how long after an annotation file is saved
// the server serves the page with the edit.
//
// Usage: node bench/serve_latency.mjs [SITE_DIR] [--runs N] [--poll] [--browser]
//   SITE_DIR  a gloss site (site.toml, seeds/, content/); default: the bundled briefing.
//             It is copied to a temporary folder first; the original is never edited.
//   --runs N  number of saves measured (default 21), spread over the site's articles.
//   --timeout S  longest wait for one rebuild, in seconds (default 120).
//   --browser also measure in Chromium (needs `npm ci` in tests/browser/): an open
//             article page, from the save to the browser showing the new page.
// Env: GLOSS_BIN (default target/release/gloss, else target/debug/gloss).
//
// Each run saves one annotation note atomically (temporary file + rename) and records:
//   event   the server's build event arriving: the new page is served from then on;
//   fetched a GET of the article returning the edited text (without --browser);
//   browser Chromium, with the article open, having the new page: live reload swapped
//           it in, or the reloaded page's navigation ended (responseEnd; with --browser);
//   shown   the edited text found in that page by polling it every 5 ms (--browser).
// Prints every sample, then the medians.
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  atomicSave,
  copySite,
  discoverArticleUrl,
  editableArticles,
  glossBin,
  launchChromium,
  median,
  openEvents,
  removeSite,
  startServer,
  waitForText,
  withMarker,
} from "../tests/browser/lib.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const runs = Number(option("--runs", "21"));
const patience = Number(option("--timeout", "120")) * 1000;
const source = args.find((a, i) => !a.startsWith("--") && !["--runs", "--timeout"].includes(args[i - 1]));

const site = await copySite(source ? path.resolve(source) : undefined);
const files = await editableArticles(site);
if (files.length === 0) {
  console.error("no annotation file with an editable `note:` in content/articles/");
  process.exit(2);
}
console.error(`site: ${source || "bundled briefing"} (${files.length} editable annotation files), binary: ${glossBin()}`);

const started = Date.now();
const server = await startServer(site, { args: flag("--poll") ? ["--poll"] : [], timeout: 5 * patience });
console.error(`first build and server start: ${Date.now() - started} ms`);
let browser;
const results = { event: [], fetched: [], browser: [], shown: [] };
try {
  const events = await openEvents(server.url);
  // A handful of different articles, each edited in turn.
  const targets = files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 5)) === 0).slice(0, 5);
  const pages = [];
  for (const file of targets) {
    pages.push({ file, url: await discoverArticleUrl(server, events, file, patience), original: await readFile(file, "utf8") });
  }
  let page;
  if (flag("--browser")) {
    browser = await launchChromium();
    page = await browser.newPage();
  }
  for (let i = 0; i < runs; i++) {
    const target = pages[i % pages.length];
    if (page && page.url() !== target.url) await page.goto(target.url);
    const marker = `bench-${i}-${Date.now()}`;
    const savedAt = await atomicSave(target.file, withMarker(target.original, marker));
    const ev = await events.next((d) => d.ok && d.changed.includes(decodeURIComponent(new URL(target.url).pathname)), patience);
    results.event.push(ev.at - savedAt);
    // With a browser, its own request is the one measured; a second one would compete.
    if (page) {
      const { served, seen } = await waitForText(page, marker, patience);
      results.browser.push(served - savedAt);
      results.shown.push(seen - savedAt);
    } else {
      for (const deadline = Date.now() + patience; ; ) {
        const body = await (await fetch(target.url)).text();
        if (body.includes(marker)) break;
        if (Date.now() > deadline) throw new Error(`${target.url} never showed the edit`);
      }
      results.fetched.push(Date.now() - savedAt);
    }
    const sample = [`event ${results.event.at(-1)} ms`];
    if (page) sample.push(`browser ${results.browser.at(-1).toFixed(0)} ms, shown ${results.shown.at(-1)} ms`);
    else sample.push(`fetched ${results.fetched.at(-1)} ms`);
    console.error(`run ${i + 1}/${runs}: ${sample.join(", ")}`);
    // Settle, so each sample is one save and one rebuild.
    await new Promise((r) => setTimeout(r, 150));
  }
  events.close();
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
  await removeSite(site);
}
const line = [`save→event median ${median(results.event)} ms`];
if (results.fetched.length) line.push(`save→fetched median ${median(results.fetched)} ms`);
if (results.browser.length) line.push(`save→browser-served median ${median(results.browser).toFixed(0)} ms`);
if (results.shown.length) line.push(`save→shown median ${median(results.shown)} ms`);
console.log(`${line.join("; ")} (${runs} saves)`);
