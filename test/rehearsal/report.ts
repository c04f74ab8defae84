// Prints, per rehearsal profile and stack, what the closing note of a deploy review needs: resource
// count, template size (JSON file and the YAML the CDK CLI sends), EventBridge rules, largest
// pattern, IAM roles, alarms and AWS-rule findings.   npm run rehearse:report

import { statSync } from 'node:fs';
import { stringify } from 'yaml';
import { synthesizeProfile } from './assembly.js';
import { runChecks } from './aws-limits.js';
import { PROFILES } from './profiles.js';

const rows = [
  [
    'profile',
    'stack',
    'resources',
    'json bytes',
    'yaml bytes',
    'rules',
    'max pattern',
    'roles',
    'alarms',
    'findings',
  ],
];
for (const profile of PROFILES) {
  const synthesized = synthesizeProfile(profile);
  try {
    for (const stack of synthesized.stacks) {
      const resources = Object.values(stack.template.Resources);
      const count = (type: string) => resources.filter((r) => r.Type === type).length;
      const patterns = resources
        .filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern)
        .map((r) => JSON.stringify(r.Properties?.EventPattern).length);
      const templateBytes = statSync(stack.templateFile).size;
      rows.push([
        profile.name,
        stack.stackName,
        String(resources.length),
        String(templateBytes),
        String(Buffer.byteLength(stringify(stack.template))),
        String(count('AWS::Events::Rule')),
        String(Math.max(0, ...patterns)),
        String(count('AWS::IAM::Role')),
        String(count('AWS::CloudWatch::Alarm')),
        String(runChecks({ ...stack, templateBytes }).length),
      ]);
    }
  } finally {
    synthesized.cleanup();
  }
}
for (const row of rows) console.log(row.join('\t'));
