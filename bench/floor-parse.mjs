// The scan benchmark's floor: a plain `node` process that reads, gunzips and JSON.parses every file
// under the folders it is given, one after the other. Nothing a scan could skip.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

let records = 0;
const visit = (path) => {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) visit(full);
    else {
      const bytes = readFileSync(full);
      const text =
        bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
      const doc = JSON.parse(text);
      records += Array.isArray(doc.Records) ? doc.Records.length : 0;
    }
  }
};
for (const path of process.argv.slice(2)) visit(path);
process.stdout.write(`${records}\n`);
