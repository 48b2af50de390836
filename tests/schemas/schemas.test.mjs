// ajv in strict mode (every strict option on, as `ajv compile --strict=true` runs it) must
// compile each schema `gloss schema` writes, and each YAML content file of the repository
// must be valid against its schema: editors use these schemas, and a schema a strict
// validator refuses, or one that flags a file gloss builds, misleads the analyst.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";

const schemaDir = process.env.SCHEMA_DIR;
const repo = process.env.REPO_DIR;
const kinds = ["articles", "entities", "events"];

function compile(kind) {
  const ajv = new Ajv({ strict: true, allErrors: true });
  return ajv.compile(JSON.parse(readFileSync(join(schemaDir, `${kind}.json`), "utf8")));
}

/** Every `.yaml` file below `dir`, skipping build output and installed packages. */
function yamlFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (["node_modules", "target", ".git", "public"].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (name.endsWith(".yaml")) out.push(path);
  }
  return out;
}

/** Which schema a content file follows, by where it lives; other YAML files have none. */
function kindOf(path) {
  if (path.endsWith("entities.yaml")) return "entities";
  if (path.endsWith("events.yaml")) return "events";
  if (/[/\\]articles[/\\][^/\\]+\.yaml$/.test(path) || path.endsWith("scaffold/article.yaml")) {
    return "articles";
  }
  return null;
}

test("ajv strict compiles every schema", () => {
  for (const kind of kinds) assert.doesNotThrow(() => compile(kind), kind);
});

test("every YAML content file of the repository is valid", () => {
  const validators = Object.fromEntries(kinds.map((k) => [k, compile(k)]));
  const checked = [];
  for (const path of yamlFiles(repo)) {
    const kind = kindOf(path);
    if (!kind) continue;
    const validate = validators[kind];
    const ok = validate(parse(readFileSync(path, "utf8")) ?? {});
    assert.ok(ok, `${relative(repo, path)}: ${JSON.stringify(validate.errors, null, 1)}`);
    checked.push(relative(repo, path));
  }
  assert.ok(checked.length >= 10, `only ${checked.join(", ")}`);
});

test("the schemas name no internal type and complete well", () => {
  const articles = JSON.parse(readFileSync(join(schemaDir, "articles.json"), "utf8"));
  const text = JSON.stringify(articles);
  assert.doesNotMatch(text, /AnnotationDef|definitions|"format":"uint"|allOf/);
  const annotation = articles.properties.annotations.items.properties;
  const kinds = annotation.kind.oneOf;
  assert.ok(kinds.length >= 7 && kinds.every((k) => k.const && k.description), JSON.stringify(kinds));
  assert.ok(annotation.occurrence.examples.every((e) => e >= 1));
  // `published` may be left out (null); the string branch carries the EDTF pattern.
  const dated = articles.properties.published.anyOf.find((branch) => branch.type === "string");
  const published = new RegExp(dated.pattern, "u");
  for (const good of ["2020-10-29", "2020-10", "2023-12~", "2020-10-28/2020-10-29", "2022-08/..", "[2020-10,2020-12]", "2020-1X"]) {
    assert.match(good, published);
  }
  for (const bad of ["2020-13", "29 October 2020", "2020-10-32", "20-10"]) {
    assert.doesNotMatch(bad, published);
  }
});

/** `node` and every subschema below it, each with its path. */
function* subschemas(node, path = "#") {
  if (!node || typeof node !== "object") return;
  yield [path, node];
  for (const key of ["properties", "patternProperties", "definitions"]) {
    for (const [name, child] of Object.entries(node[key] ?? {})) {
      yield* subschemas(child, `${path}/${key}/${name}`);
    }
  }
  for (const key of ["items", "additionalProperties", "not", "if", "then", "else"]) {
    yield* subschemas(node[key], `${path}/${key}`);
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    for (const [i, child] of (node[key] ?? []).entries()) {
      yield* subschemas(child, `${path}/${key}/${i}`);
    }
  }
}

test("every default and example is valid where it stands, and every fixed value is described", () => {
  for (const kind of kinds) {
    const schema = JSON.parse(readFileSync(join(schemaDir, `${kind}.json`), "utf8"));
    for (const [path, node] of subschemas(schema)) {
      const { default: fallback, examples, description, title, ...rules } = node;
      if (path === "#") continue;
      const check = new Ajv({ strict: true }).compile(rules);
      for (const value of [fallback, ...(examples ?? [])].filter((v) => v !== undefined)) {
        assert.ok(check(value), `${kind} ${path}: ${JSON.stringify(value)} breaks its own schema`);
      }
      if (node.oneOf?.every((branch) => "const" in branch)) {
        for (const branch of node.oneOf) {
          assert.ok(branch.description, `${kind} ${path}: ${branch.const} has no description`);
        }
      }
      assert.ok(!("enum" in node), `${kind} ${path}: an enum without descriptions`);
    }
  }
});
