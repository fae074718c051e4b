// Validate a Teams manifest offline against the schema bundled in @microsoft/app-manifest.
// Usage: node validate_manifest.cjs manifest.json  → prints the list of failures as JSON.
const fs = require("fs");
const path = require("path");
const { AppManifestUtils } = require("@microsoft/app-manifest");

const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const schemaFile = path.join(
  path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
  "build", "json-schemas", "teams", `v${manifest.manifestVersion}`, "MicrosoftTeams.schema.json",
);
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
AppManifestUtils.validateAgainstSchema(manifest, schema).then(
  (failures) => {
    process.stdout.write(JSON.stringify({ schema: schemaFile, failures }));
  },
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(2);
  },
);
