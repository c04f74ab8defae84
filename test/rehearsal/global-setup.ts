// One folder per test run where the rehearsal files share each profile's synthesized assembly
// (test/rehearsal/assembly.ts): every profile is synthesised once per run, not once per file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tfdrift-rehearsal-run-'));
  process.env.TFDRIFT_REHEARSAL_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
