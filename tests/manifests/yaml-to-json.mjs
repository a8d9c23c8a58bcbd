// A YAML stream (the file argument, or stdin) as one JSON array of its documents (stdout), for the xunit tests to read with System.Text.Json.
import { readFileSync } from "node:fs";

import { parseAllDocuments } from "yaml";

const documents = [];
for (const document of parseAllDocuments(readFileSync(process.argv[2] ?? 0, "utf8"))) {
  if (document.errors.length > 0) {
    console.error(document.errors.map((error) => error.message).join("\n"));
    process.exit(1);
  }

  if (document.contents !== null) documents.push(document.toJS());
}

process.stdout.write(JSON.stringify(documents));
