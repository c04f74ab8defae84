// Synthesises a rehearsal profile through the same app composition `cdk deploy` runs (lib/app.ts)
// and reads the cloud assembly back: the templates and, per Lambda function, the folder of its
// synthesized bundle. The assembly is the single source of truth for every rehearsal check.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { addTfdriftStacks } from '../../lib/app.js';
import { placeholderWebDist } from '../../lib/web-dist.js';
import type { RehearsalProfile } from './profiles.js';

export type CfnResource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SynthesizedStack {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: CfnTemplate;
  /** The template file as CloudFormation receives it. */
  readonly templateFile: string;
  /** Logical id of each Lambda function → folder of its bundle (index.mjs, rules.json, ...). */
  readonly functionAssets: ReadonlyMap<string, string>;
}

export interface SynthesizedProfile {
  readonly profile: RehearsalProfile;
  readonly dir: string;
  readonly stacks: readonly SynthesizedStack[];
  stack(namePrefix: string): SynthesizedStack;
  cleanup(): void;
}

/**
 * Within one test run every rehearsal file reads the same assembly of a profile: the first file that
 * needs it synthesises it into the run's folder (test/rehearsal/global-setup.ts sets
 * TFDRIFT_REHEARSAL_DIR), the others wait for it and read it back. Outside a test run (scripts),
 * each call synthesises into a temporary folder of its own.
 */
export function synthesizeProfile(profile: RehearsalProfile): SynthesizedProfile {
  const shared = process.env.TFDRIFT_REHEARSAL_DIR;
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), `tfdrift-rehearsal-${profile.name}-`));
    const assembly = synthesizeInto(profile, dir);
    return readProfile(profile, dir, assembly, () => rmSync(dir, { recursive: true, force: true }));
  }
  const dir = join(shared, profile.name);
  const ready = join(dir, 'ready');
  if (!existsSync(ready)) {
    let owner = false;
    try {
      mkdirSync(dir); // atomic: exactly one file of the run synthesises the profile
      owner = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (owner) {
      synthesizeInto(profile, dir);
      writeFileSync(ready, '');
    } else {
      waitFor(ready, 600_000, `the ${profile.name} assembly`);
    }
  }
  // The run's global teardown removes the folder.
  return readProfile(profile, dir, new CloudAssembly(join(dir, 'cdk.out')), () => undefined);
}

function synthesizeInto(profile: RehearsalProfile, dir: string): CloudAssembly {
  const app = new App({
    outdir: join(dir, 'cdk.out'),
    // As the CDK CLI sets it: functions name their asset folder in their metadata.
    context: { 'aws:cdk:enable-asset-metadata': true },
  });
  addTfdriftStacks(app, {
    settings: profile.settings,
    account: profile.account,
    region: profile.region,
    webDist: placeholderWebDist(join(dir, 'web')),
  });
  return app.synth();
}

function waitFor(file: string, timeoutMs: number, what: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${file})`);
    Atomics.wait(pause, 0, 0, 200);
  }
}

function readProfile(
  profile: RehearsalProfile,
  dir: string,
  assembly: CloudAssembly,
  cleanup: () => void,
): SynthesizedProfile {
  const stacks = assembly.stacks.map((artifact): SynthesizedStack => {
    const template = artifact.template as CfnTemplate;
    const functionAssets = new Map<string, string>();
    for (const [id, resource] of Object.entries(template.Resources)) {
      const path = resource.Metadata?.['aws:asset:path'];
      if (resource.Type === 'AWS::Lambda::Function' && typeof path === 'string') {
        functionAssets.set(id, join(assembly.directory, path));
      }
    }
    return {
      stackName: artifact.stackName,
      account: artifact.environment.account,
      region: artifact.environment.region,
      template,
      templateFile: join(assembly.directory, artifact.templateFile),
      functionAssets,
    };
  });
  return {
    profile,
    dir,
    stacks,
    stack(namePrefix) {
      const found = stacks.find((s) => s.stackName.startsWith(namePrefix));
      if (!found) throw new Error(`profile ${profile.name} has no stack ${namePrefix}*`);
      return found;
    },
    cleanup,
  };
}
