// Validates Kubernetes manifests (a YAML stream: file arguments, or stdin) against the Kubernetes API schemas of
// kubernetes-models and, for monitoring.coreos.com, the Prometheus Operator's CRD schemas of
// @kubernetes-models/prometheus-operator. Two checks per object, both generated from those schemas:
//   1. the models' JSON-schema validation (types, required fields, formats, enums);
//   2. the models' TypeScript types, by the TypeScript compiler, with each object as an object literal of its kind:
//      an object literal may only name known properties, so an unknown or misspelt field at any depth is an error.
//      (The JSON schemas alone accept unknown fields: the API's schemas do not close their objects, the API server
//      drops or, with fieldValidation=Strict, rejects them.)
// An object of an unknown apiVersion/kind, or an empty document, is an error too. Exit 0 when every object passes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import ts from "typescript";
import { parseAllDocuments } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
const text = files.length > 0 ? files.map((file) => readFileSync(file, "utf8")).join("\n---\n") : readFileSync(0, "utf8");

const problems = [];
const objects = [];
for (const document of parseAllDocuments(text)) {
  if (document.errors.length > 0) {
    problems.push(`YAML: ${document.errors.map((error) => error.message).join("; ")}`);
    continue;
  }

  // "---" followed by nothing but comments: no object, nothing to check.
  if (document.contents === null) continue;

  const value = document.toJS();
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    problems.push(`document ${objects.length + problems.length + 1}: not a Kubernetes object (${JSON.stringify(value)})`);
    continue;
  }

  objects.push(value);
}

function describe(object) {
  return `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
}

// apiVersion "apps/v1", kind "Deployment" → kubernetes-models/apps/v1/Deployment; the core group has no prefix.
function modelModule(object) {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string" || !/^[A-Za-z0-9]+$/.test(object.kind)) {
    return null;
  }

  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/", 2) : ["", object.apiVersion];
  const packageName = group === "monitoring.coreos.com" ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  return `${packageName}/${group ? `${group}/` : ""}${version}/${object.kind}`;
}

const source = [];
const lineOwners = [];
for (const [index, object] of objects.entries()) {
  const specifier = modelModule(object);
  let model;
  try {
    model = specifier && (await import(specifier))[object.kind];
  } catch {
    model = undefined;
  }

  if (!model) {
    problems.push(`${describe(object)}: no schema for apiVersion ${object.apiVersion}, kind ${object.kind}`);
    continue;
  }

  try {
    new model(object).validate();
  } catch (error) {
    problems.push(`${describe(object)}: ${error.message}`);
  }

  const literal = JSON.stringify(object, null, 2).split("\n");
  const first = source.length;
  source.push(`import type { I${object.kind} as T${index} } from ${JSON.stringify(specifier)};`);
  source.push(`export const o${index}: T${index} = ${literal[0]}`, ...literal.slice(1).map((line, i) => (i === literal.length - 2 ? `${line};` : line)));
  for (let line = first; line < source.length; line++) lineOwners[line] = index;
}

if (source.length > 0) {
  const fileName = path.join(here, "__manifests__.mts");
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const sourceText = source.join("\n");
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === fileName ? ts.createSourceFile(name, sourceText, language, true) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (diagnostic.file && path.resolve(diagnostic.file.fileName) === fileName && diagnostic.start !== undefined) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      problems.push(`${describe(objects[lineOwners[line]])}: ${message} (at: ${source[line].trim()})`);
    } else {
      problems.push(`TypeScript: ${message}`);
    }
  }
}

for (const object of objects) console.log(`object ${object.apiVersion} ${describe(object)}`);
for (const problem of problems) console.error(`INVALID ${problem}`);
console.log(problems.length === 0 ? `valid: ${objects.length} objects` : `invalid: ${problems.length} problems in ${objects.length} objects`);
// Nothing to check is a failure too: a render that came out empty must not pass.
process.exit(problems.length === 0 && objects.length > 0 ? 0 : 1);
