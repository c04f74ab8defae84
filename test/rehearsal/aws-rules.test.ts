// The deploy rehearsal's static part: every stack of every settings profile, as synthesised by the
// same app composition `cdk deploy` runs, against AWS's documented limits and policy requirements
// (test/rehearsal/aws-limits.ts). Each profile is synthesised once, in beforeAll.

import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynthesizedProfile } from './assembly.js';
import { synthesizeProfile } from './assembly.js';
import { CHECKS, type Finding, runChecks, type StackUnderCheck } from './aws-limits.js';
import { PROFILES } from './profiles.js';

const SYNTH_TIMEOUT = 120_000;

function underCheck(profile: SynthesizedProfile): StackUnderCheck[] {
  return profile.stacks.map((s) => ({ ...s, templateBytes: statSync(s.templateFile).size }));
}

describe.each(PROFILES)('profile $name', (profile) => {
  let synthesized: SynthesizedProfile;
  let findings: Finding[];
  beforeAll(() => {
    synthesized = synthesizeProfile(profile);
    findings = underCheck(synthesized).flatMap((stack) => runChecks(stack));
  }, SYNTH_TIMEOUT);
  afterAll(() => synthesized?.cleanup());

  it.each(Object.keys(CHECKS))('every stack passes %s', (check) => {
    expect(findings.filter((f) => f.check === check)).toEqual([]);
  });
});
