// Full-page screenshots of a built gloss site, for eyeballing the theme.
// Not run by `cargo test`. Usage:
//   node tests/browser/screenshots.mjs [BASE_URL] [OUT_DIR] [PATH...]
// BASE_URL defaults to http://127.0.0.1:8000/, OUT_DIR to ./screenshots.
// Paths are relative to BASE_URL; without any, the home page, the first article,
// entity and event linked from the index pages, and the list pages are captured.
// Each page is shot at 1280 and 390 px wide, light and dark.
// Env: CHROMIUM (default /usr/bin/chromium), PLAYWRIGHT (module to import, default playwright-core),
//      PRINT=1 also saves a PDF of each page in print media,
//      SHOT=FILE.png instead takes only the README's picture: the first path (default: the
//      home page) at 1280×1300, light, the top of the page (see CONTRIBUTING.md).
import { mkdir } from "node:fs/promises";
import path from "node:path";

const { chromium } = await import(process.env.PLAYWRIGHT || "playwright-core");
const base = new URL(process.argv[2] || "http://127.0.0.1:8000/");
const outDir = process.argv[3] || "screenshots";
let paths = process.argv.slice(4);
if (!process.env.SHOT) await mkdir(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

if (process.env.SHOT) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 1300 }, colorScheme: "light", deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  const res = await page.goto(new URL(paths[0] || "", base).href, { waitUntil: "load" });
  if (!res || res.status() !== 200) throw new Error(`HTTP ${res && res.status()} for ${page.url()}`);
  await page.screenshot({ path: process.env.SHOT });
  console.log(process.env.SHOT);
  await browser.close();
  process.exit(0);
}

async function firstLink(page, listPath, selector) {
  await page.goto(new URL(listPath, base).href);
  const href = await page.$eval(selector, (a) => a.getAttribute("href")).catch(() => null);
  if (!href) return null;
  const u = new URL(href, page.url());
  return u.pathname.slice(base.pathname.length) + u.hash;
}

if (paths.length === 0) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  paths = [""];
  for (const [list, sel] of [
    ["articles/", "main .card-title a"],
    ["entities/", "main .entity-item a"],
    ["events/", "main .event-list a"],
  ]) {
    const p = await firstLink(page, list, sel);
    if (p) paths.push(p);
  }
  paths.push("articles/", "entities/", "events/", "tags/", "search/", "404.html");
  await ctx.close();
}

const slug = (p) => (p.replace(/[#?].*$/, "").replace(/\/+$/, "").replace(/[^a-z0-9]+/gi, "-") || "home").replace(/^-|-$/g, "");
const shots = [];
for (const scheme of ["light", "dark"]) {
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("requestfailed", (r) => problems.push("request failed: " + r.url()));
    for (const p of paths) {
      const url = new URL(p, base).href;
      const res = await page.goto(url, { waitUntil: "load" });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      const file = path.join(outDir, `${slug(p)}-${width}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
      const note = [res && res.status() !== 200 ? `HTTP ${res.status()}` : "", overflow > 0 ? `horizontal overflow ${overflow}px` : ""].filter(Boolean).join(", ");
      console.log(`${file}${note ? "  <-- " + note : ""}`);
      if (process.env.PRINT && scheme === "light" && width === 1280) {
        await page.emulateMedia({ media: "print" });
        await page.pdf({ path: path.join(outDir, `${slug(p)}-print.pdf`), format: "A4", printBackground: true });
        await page.emulateMedia({ media: "screen" });
      }
    }
    for (const pr of problems) console.log("  problem:", pr);
    await ctx.close();
  }
}
await browser.close();
