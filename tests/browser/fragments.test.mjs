// Every "In the original" link (a text fragment, `#:~:text=`) lands on its annotated
// passage in Chromium. The bundled briefing names no original URLs, so a copy of it gets
// one per article: a local page standing in for the publisher's, with every paragraph of
// the seed (dropped ones included, as a pull quote would be) far apart, so that where
// Chromium scrolls tells which paragraph it highlighted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { copySite, glossBin, launchChromium, removeSite } from "./lib.mjs";

/** A seed's paragraphs as gloss reads them: blocks between blank lines, trimmed. */
const paragraphs = (seed) =>
  seed
    .split(/\n(?:[ \t\r\u200b\ufeff]*\n)+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

test("every text-fragment link lands on its passage in Chromium", async () => {
  const dir = await copySite();
  const publisher = new Map();
  const server = http.createServer((req, res) => {
    const page = publisher.get(decodeURIComponent(req.url.split("#")[0]));
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(page ?? "");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium();
  try {
    // Each article's original: its seed, one far-apart paragraph per seed paragraph.
    const seeds = new Map();
    for (const name of await readdir(path.join(dir, "content/articles"))) {
      const file = path.join(dir, "content/articles", name);
      const yaml = await readFile(file, "utf8");
      const seedName = yaml.match(/^seed: (.+)$/m)?.[1].trim() ?? name.replace(/\.yaml$/, ".txt");
      const paras = paragraphs(await readFile(path.join(dir, "seeds", seedName), "utf8"));
      const url = `/${seedName}.html`;
      seeds.set(`${origin}${url}`, paras);
      publisher.set(
        url,
        `<!DOCTYPE html><html><body>${paras
          .map((p, i) => `<p id="p${i}" style="margin:0 0 4000px">${escape(p)}</p>`)
          .join("")}</body></html>`,
      );
      await writeFile(file, yaml.replace(/^(slug: .*)$/m, `$1\nurl: ${origin}${url}`));
    }
    execFileSync(glossBin(), ["build", "--root", dir, "--out", path.join(dir, "public")]);
    const collection = JSON.parse(await readFile(path.join(dir, "public/annotations.jsonld"), "utf8"));
    const base = collection.id.replace(/annotations\.jsonld$/, "");
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    let checked = 0;
    for (const item of collection.first.items) {
      const [kept, onPage] = item.target;
      const articleDir = path.join(dir, "public", onPage.source.slice(base.length));
      const html = await readFile(path.join(articleDir, "index.html"), "utf8");
      const id = item.id.split("#")[1];
      const link = html.match(
        new RegExp(`id="note-${id}"[\\s\\S]*?class="note-source" href="([^"]+)"`),
      )?.[1];
      assert.ok(link, `${item.id} has an "In the original" link`);
      const href = link.replace(/&amp;/g, "&");
      const original = href.split("#")[0];
      const seedParas = seeds.get(original);
      // Which seed paragraphs the passage covers: its kept paragraphs (source.txt is the
      // kept paragraphs joined by blank lines), found in order among the seed's.
      const text = await readFile(path.join(articleDir, "source.txt"), "utf8");
      const keptParas = text.split("\n\n");
      const position = kept.selector.find((s) => s.type === "TextPositionSelector");
      const chars = [...text];
      const keptIndex = (at) => chars.slice(0, at).join("").split("\n\n").length - 1;
      const inSeed = [];
      let s = 0;
      for (const p of keptParas) {
        while (s < seedParas.length && seedParas[s] !== p) s += 1;
        inSeed.push(s);
        s += 1;
      }
      const expected = new Set();
      for (let k = keptIndex(position.start); k <= keptIndex(position.end - 1); k += 1) {
        expected.add(inSeed[k]);
      }
      await page.goto(href);
      await page.waitForTimeout(150);
      const landed = await page.evaluate(() => {
        const middle = window.innerHeight / 2;
        let best = -1;
        let distance = Infinity;
        for (const [i, p] of [...document.querySelectorAll("p")].entries()) {
          const r = p.getBoundingClientRect();
          const d = r.top > middle ? r.top - middle : r.bottom < middle ? middle - r.bottom : 0;
          if (d < distance) [best, distance] = [i, d];
        }
        return best;
      });
      assert.ok(
        expected.has(landed),
        `${href} lands on paragraph ${landed}, not ${[...expected]}: ${seedParas[landed]?.slice(0, 80)}`,
      );
      checked += 1;
    }
    assert.ok(checked > 10, `only ${checked} links`);
  } finally {
    await browser.close();
    server.close();
    await removeSite(dir);
  }
});
