// Reads every page of a built gloss site with open-graph-scraper over HTTP, as a site that
// unfurls links does, and fetches each og:image it finds: it must exist and be a 1200×630
// PNG. The site is built with its base URL set to a local server's, so the absolute
// og:image URLs point at the files just built.
// Usage: node check.mjs GLOSS_BIN SITE_DIR
import ogs from "open-graph-scraper";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

const [bin, site] = process.argv.slice(2);
if (!bin || !site) throw new Error("usage: node check.mjs GLOSS_BIN SITE_DIR");
const out = path.join(site, "public");
const types = { ".html": "text/html; charset=utf-8", ".png": "image/png" };

const server = createServer(async (req, res) => {
  let rel = decodeURIComponent(new URL(req.url, "http://x").pathname).slice(1);
  if (rel === "" || rel.endsWith("/")) rel += "index.html";
  try {
    const body = await readFile(path.join(out, path.normalize(rel)));
    res.writeHead(200, { "content-type": types[path.extname(rel)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;
execFileSync(bin, ["--root", site, "build", "--base-url", base], { stdio: "pipe" });

async function pages(dir) {
  const found = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) found.push(...(await pages(p)));
    else if (e.name.endsWith(".html")) found.push(path.relative(out, p));
  }
  return found.sort();
}

/** Width and height from a PNG's IHDR chunk, or null for anything else. */
function pngSize(buf) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(signature)) return null;
  if (buf.toString("latin1", 12, 16) !== "IHDR") return null;
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

const failures = [];
const list = await pages(out);
try {
  for (const page of list) {
    const url = base + page.replace(/(^|\/)index\.html$/, "$1");
    const { error, result } = await ogs({ url });
    const image = result?.ogImage?.[0];
    if (error || !image?.url) {
      failures.push(`${page}: open-graph-scraper found no og:image`);
      continue;
    }
    if (result.twitterCard !== "summary_large_image") failures.push(`${page}: twitter:card is ${result.twitterCard}`);
    if (!result.ogImageAlt && !image.alt) failures.push(`${page}: no og:image:alt`);
    if (String(image.width) !== "1200" || String(image.height) !== "630") {
      failures.push(`${page}: og:image:width/height are ${image.width}×${image.height}`);
    }
    const response = await fetch(new URL(image.url, url));
    const size = response.ok ? pngSize(Buffer.from(await response.arrayBuffer())) : null;
    if (!size) failures.push(`${page}: ${image.url} is not a PNG that exists (${response.status})`);
    else if (size[0] !== 1200 || size[1] !== 630) failures.push(`${page}: ${image.url} is ${size.join("×")}`);
  }
} finally {
  server.close();
}
if (list.length < 10) failures.push(`only ${list.length} pages found: is this a built gloss site?`);
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`open-graph-scraper: ${list.length} pages, each with a 1200×630 PNG og:image that exists`);
