// The SDK's REST types, generated from the OpenAPI contract the server serves
// (server/http/openapi/contract.json): `npm run generate:types -w realtime-avatar` writes them to
// src/rest/contract.generated.ts, and src/rest/contract.test.ts fails when the file drifts from
// what this renders now. src/rest/types.ts gives the generated schemas the SDK's public names.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";

export const CONTRACT_PATH = fileURLToPath(new URL("../../../server/http/openapi/contract.json", import.meta.url));
export const GENERATED_PATH = fileURLToPath(new URL("../src/rest/contract.generated.ts", import.meta.url));

const HEADER = `// Generated from server/http/openapi/contract.json by packages/sdk/scripts/generate-rest-types.ts.
// Do not edit: run \`npm run generate:types -w realtime-avatar\` (src/rest/contract.test.ts checks it).

`;

/** The generated module's text for the contract as it is now. */
export async function renderRestTypes(): Promise<string> {
  const contract = JSON.parse(readFileSync(CONTRACT_PATH, "utf8")) as OpenAPI3;
  const nodes = await openapiTS(contract, {
    // A field with a default is still optional to send; the server fills it in.
    defaultNonNullable: false,
    // `{ type: "object" }` (settings, metadata) is any JSON object, not an empty one.
    emptyObjectsUnknown: true,
    // Each schema also as a root export under its contract name, which rest/types.ts re-exports.
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    rootTypesKeepCasing: true,
    silent: true,
  });
  return HEADER + astToString(nodes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_PATH, await renderRestTypes());
  console.log("wrote", GENERATED_PATH);
}
