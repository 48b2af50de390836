// (a) Every built HTML page passes the Nu Html Checker (vnu.jar from npm, run with Java).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { SITE_DIR } from "./lib.mjs";

const jar = fileURLToPath(new URL("node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url));

test("Nu Html Checker: no error on any built page", { timeout: 300_000 }, () => {
  const pages = readdirSync(SITE_DIR, { recursive: true }).filter((f) => f.endsWith(".html"));
  assert.ok(pages.length > 10, `expected the bundled briefing's pages in ${SITE_DIR}, found ${pages.length}`);
  // --skip-non-html: the output also holds feeds, JSON and Pagefind's files.
  const r = spawnSync("java", ["-jar", jar, "--errors-only", "--skip-non-html", SITE_DIR], { encoding: "utf8", timeout: 280_000 });
  assert.equal(r.error, undefined, `could not run java: ${r.error}`);
  // vnu prints one line per error, naming the file; strip the temporary folder from it.
  const errors = (r.stderr + r.stdout).trim().replaceAll("file:" + path.resolve(SITE_DIR) + "/", "");
  assert.equal(r.status, 0, `vnu found errors in ${pages.length} pages:\n${errors}`);
  console.log(`vnu: 0 errors in ${pages.length} pages`);
});
