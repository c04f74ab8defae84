// Over every successful write event in test/fixtures/corpus/cloudtrail, the share that a rule matches or
// that rules/not-drift/*.yaml explains (with the reason each unmatched call is not drift).
// Prints JSON; `--list` adds every unexplained eventName.

import { ruleCoverage } from '../test/support/rule-coverage.js';

const report = ruleCoverage();
const { unexplained, ...figures } = report;
console.log(
  JSON.stringify(
    process.argv.includes('--list') ? report : { ...figures, unexplained: unexplained.length },
    null,
    2,
  ),
);
