// Shared helpers for the quality tests. run.sh builds the bundled briefing into
// $SITE_DIR and serves it at $BASE_URL, a sub-path of a local origin (as on GitHub Pages),
// so that a link ignoring the base URL breaks.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const SITE_DIR = need("SITE_DIR");
export const BASE_URL = new URL(need("BASE_URL"));
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// The flags Debian's Chromium needs to run headless as root in a container, without
// phoning home (background networking would add requests to other hosts).
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through tests/quality/run.sh`);
  return v;
}

export async function launch() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}

// Sub-folders of a section that hold a page, sorted so that runs pick the same ones.
function pagesUnder(section) {
  const dir = path.join(SITE_DIR, section);
  return readdirSync(dir)
    .filter((d) => statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((d) => `${section}/${d}/`);
}

// The article with the most highlights, so that keyboard and note checks see the most.
function richestArticle() {
  let best = null;
  let bestCount = -1;
  for (const p of pagesUnder("articles")) {
    const html = readFileSync(path.join(SITE_DIR, p, "index.html"), "utf8");
    const count = (html.match(/<mark [^>]*tabindex=/g) || []).length;
    if (count > bestCount) [best, bestCount] = [p, count];
  }
  return best;
}

// One page of each kind, as paths relative to the base URL. The search page is opened
// with a query so that Pagefind's results (dynamic DOM) are checked too.
export function pageKinds() {
  return {
    home: "",
    article: richestArticle(),
    entity: pagesUnder("entities")[0],
    event: pagesUnder("events")[0],
    tag: pagesUnder("tags")[0],
    search: "search/?q=hotline",
    "404": "404.html",
  };
}

export const articlePaths = () => pagesUnder("articles");

export const urlOf = (p) => new URL(p, BASE_URL).href;

// Waits until Pagefind has rendered results (or said there are none) on the search page.
export async function settle(page, kind) {
  if (kind !== "search") return;
  await page.waitForSelector(".pagefind-ui__message, .pagefind-ui__result", { timeout: 15_000 });
  await page.waitForLoadState("networkidle");
}
