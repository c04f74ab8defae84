// cdk-nag 3 (AWS Solutions and Serverless packs) over the whole app: zero unacknowledged findings.
// Every acknowledgement sits next to its resource (Validations.of(construct).acknowledge) with a reason.

import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SynthesisedApp } from './cdk-fixture.js';

type Violations = ReturnType<NagPack['validateScope']>['violations'];

/** Rule id → construct paths, readable in a failing assertion. */
function summarise(violations: Violations): Record<string, string[]> {
  return Object.fromEntries(
    violations.map((v) => [v.ruleName, v.violatingResources.map((r) => String(r.constructPath))]),
  );
}

let synth: SynthesisedApp;

beforeAll(() => {
  synth = buildTestApp();
}, 240_000);
afterAll(() => synth?.cleanup());

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AWS Solutions pack', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(synth.app);
    expect(summarise(violations)).toEqual({});
  });

  it('finds nothing unacknowledged in the Serverless pack', () => {
    const { violations } = new ServerlessChecks().validateScope(synth.app);
    expect(summarise(violations)).toEqual({});
  });

  it('synthesises with both packs registered as validation plugins', () => {
    // Act: a violation would make synthesis throw with the report.
    Validations.of(synth.app).addPlugins(new AwsSolutionsChecks(synth.app), new ServerlessChecks(synth.app));
    const assembly = synth.app.synth();
    // Assess
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Tfdrift', 'TfdriftForwarder-us-east-1']);
    // Both packs over every resource (the fixture sets every alert channel): ~25 s on a quiet machine.
  }, 120_000);

  it('does report an unacknowledged finding (the packs are live)', () => {
    // Prepare: a queue with neither encryption in transit nor a DLQ.
    const app = new App();
    new Queue(new Stack(app, 'Bad'), 'Queue');
    // Act
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    // Assess
    expect(Object.keys(summarise(violations))).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});
