// Type-checks every JSON-LD block of a built gloss site against schema.org's definitions,
// as typed by schema-dts (generated from the schema.org vocabulary): an unknown property,
// a property on the wrong type or a value of the wrong kind fails `tsc`.
// Usage: node check.mjs SITE_OUTPUT_DIR
import { readFile, readdir, writeFile, mkdtemp, rm } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import path from "node:path";
import os from "node:os";

const out = process.argv[2];
if (!out) throw new Error("usage: node check.mjs SITE_OUTPUT_DIR");

async function pages(dir) {
  const found = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) found.push(...(await pages(p)));
    else if (e.name === "index.html") found.push(p);
  }
  return found;
}

const blocks = [];
for (const file of await pages(out)) {
  const html = await readFile(file, "utf8");
  for (const m of html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)) {
    blocks.push({ file: path.relative(out, file), json: JSON.parse(m[1]) });
  }
}
const types = new Set(blocks.map((b) => (b.json["@graph"] ? "Graph" : b.json["@type"])));
if (!blocks.some((b) => b.json["@graph"]?.some((t) => t["@type"] === "ClaimReview"))) {
  throw new Error("no ClaimReview found: is this a built gloss site with verdicts?");
}

// One typed constant per block; a sabotaged copy proves that the check can fail.
function source(list) {
  const lines = ['import type { Graph, WithContext, NewsArticle } from "schema-dts";'];
  list.forEach((b, i) => {
    const type = b.json["@graph"] ? "Graph" : `WithContext<${b.json["@type"]}>`;
    lines.push(`// ${b.file}`, `export const b${i}: ${type} = ${JSON.stringify(b.json)};`);
  });
  return lines.join("\n") + "\n";
}

const dir = await mkdtemp(path.join(os.tmpdir(), "gloss-schemaorg-"));
const tsc = path.join(import.meta.dirname, "node_modules/typescript/bin/tsc");
const check = async (name, text) => {
  const file = path.join(dir, name);
  await writeFile(file, text);
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--typeRoots", path.join(import.meta.dirname, "node_modules"), "--baseUrl", import.meta.dirname, "--moduleResolution", "bundler", "--module", "esnext", file], { stdio: "pipe", cwd: import.meta.dirname });
    return "";
  } catch (e) {
    return String(e.stdout);
  }
};

const errors = await check("site.ts", source(blocks));
const sabotaged = structuredClone(blocks.find((b) => b.json["@graph"]));
sabotaged.json["@graph"].find((t) => t["@type"] === "ClaimReview").reviewRatingg = {};
const caught = await check("sabotaged.ts", source([sabotaged]));
// The typed copies are only needed by tsc: no run leaves them behind.
await rm(dir, { recursive: true, force: true });
if (!caught) throw new Error("the check accepted a misspelled property: it cannot fail");
if (errors) {
  console.error(errors);
  console.log(`0 passed, 1 failed: ${blocks.length} JSON-LD blocks (${[...types].join(", ")})`);
  process.exit(1);
}
console.log(`${blocks.length} JSON-LD blocks (${[...types].join(", ")}) match schema.org`);
console.log("1 passed, 0 failed");
