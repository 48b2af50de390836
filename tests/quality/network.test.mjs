// (g) The network of actors, as a reader gets it at 1440 and 390 px: the drawing is on
// screen and inside the page's width, every node is a link with a name, the labels shown
// are readable and do not cover each other, the table beside it lists links, and axe finds
// no WCAG 2.1 A/AA violation in the section.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { launch, SITE_DIR, urlOf } from "./lib.mjs";

const axeSource = createRequire(import.meta.url)("axe-core").source;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The entity with the most links drawn on the index: its page shows the largest neighbourhood.
function busiestEntity() {
  const html = readFileSync(path.join(SITE_DIR, "entities", "index.html"), "utf8");
  const href = html.match(/<a class="net-node[^"]*" href="([^"]+)"/);
  assert.ok(href, "the entities index draws a network");
  return new URL(href[1], "http://x").pathname.split("/").filter(Boolean).slice(-2).join("/") + "/";
}

// What the drawing shows: its box, the nodes' names and boxes, the visible labels' boxes.
function readDrawing() {
  const svg = document.querySelector("svg.network-svg");
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  };
  const labels = [...svg.querySelectorAll("text")]
    .filter((t) => getComputedStyle(t).display !== "none")
    .map((t) => ({ text: t.textContent, box: box(t), size: parseFloat(getComputedStyle(t).fontSize) * (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width) }));
  return {
    svg: box(svg),
    page: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    nodes: [...svg.querySelectorAll("a.net-node")].map((a) => ({ name: a.querySelector("title")?.textContent, href: a.getAttribute("href"), box: box(a) })),
    labels,
    rows: document.querySelectorAll(".network-table tbody tr").length,
  };
}

// Glyph boxes include the line's full ascent and descent; 2 px of touching is not covering.
const overlap = (a, b) => a.left < b.right - 2 && b.left < a.right - 2 && a.top < b.bottom - 2 && b.top < a.bottom - 2;

for (const width of [1440, 390]) {
  describe(`network ${width}px`, () => {
    for (const [kind, p] of [["entities index", "entities/"], ["entity page", null]]) {
      test(kind, { timeout: 60_000 }, async () => {
        const ctx = await browser.newContext({ viewport: { width, height: 900 } });
        try {
          const page = await ctx.newPage();
          const url = urlOf(p ?? busiestEntity());
          const res = await page.goto(url, { waitUntil: "load" });
          assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
          await page.locator("svg.network-svg").scrollIntoViewIfNeeded();
          assert.ok(await page.locator("svg.network-svg").isVisible(), `${url}: the drawing is visible`);
          const d = await page.evaluate(readDrawing);
          assert.ok(d.svg.width > 300 && d.svg.height > 150, `${url}: drawn at ${d.svg.width}×${d.svg.height}`);
          assert.ok(d.svg.right <= d.page + 1, `${url}: the drawing fits the page width`);
          assert.ok(d.scrollWidth <= d.page + 1, `${url}: nothing scrolls sideways (${d.scrollWidth} > ${d.page})`);
          assert.ok(d.nodes.length >= 3, `${url}: ${d.nodes.length} nodes`);
          for (const n of d.nodes) {
            assert.ok(n.name && n.href, `${url}: every node is a named link`);
            assert.ok(n.box.left >= d.svg.left - 1 && n.box.right <= d.svg.right + 1, `${url}: ${n.name} inside the drawing`);
          }
          assert.ok(d.labels.length >= Math.min(3, d.nodes.length), `${url}: ${d.labels.length} labels shown`);
          for (const l of d.labels) assert.ok(l.size >= 10, `${url}: "${l.text}" is set at ${l.size.toFixed(1)} px`);
          for (let i = 0; i < d.labels.length; i++) {
            for (let j = i + 1; j < d.labels.length; j++) {
              assert.ok(!overlap(d.labels[i].box, d.labels[j].box), `${url}: "${d.labels[i].text}" covers "${d.labels[j].text}"`);
            }
          }
          assert.ok(d.rows >= d.nodes.length - 1, `${url}: the table lists the links (${d.rows} rows)`);
          await page.addScriptTag({ content: axeSource });
          const { violations } = await page.evaluate((tags) => window.axe.run(".network-section", { runOnly: { type: "tag", values: tags } }), TAGS);
          assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], url);
        } finally {
          await ctx.close();
        }
      });
    }
  });
}
