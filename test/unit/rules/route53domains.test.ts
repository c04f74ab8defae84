// rules/route53domains.yaml: the Route 53 guide's updateDomainContact record (corpus) and doc-shaped
// records (test/fixtures/rules/route53domains/events.doc-shaped.json). The domain's id is its name.

import { describe } from 'vitest';
import { modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('route53domains', 'route53domains.amazonaws.com');
const corpusRecord = corpusCopy('route53domains');
const domain = (extra = {}) =>
  res('aws_route53domains_registered_domain', 'example.com', {
    domain_name: 'example.com',
    transfer_lock: true,
    auto_renew: true,
    admin_privacy: true,
    registrant_privacy: true,
    tech_privacy: true,
    ...extra,
  });

const cases: RuleCase[] = [
  modified(
    'route53domains.domain.update-contact',
    corpusRecord('awsdocs-amazon-route53-docs/doc_source/logging-using-cloudtrail__5.json'),
    domain(),
    'high',
    [],
  ),
  modified('route53domains.domain.contact-privacy', doc.UpdateDomainContactPrivacy, domain(), 'medium', {
    admin_privacy: false,
    registrant_privacy: false,
    tech_privacy: false,
  }),
  modified(
    'route53domains.domain.transfer-lock-off',
    doc.DisableDomainTransferLock,
    domain(),
    'high',
    { transfer_lock: false },
    domain({ transfer_lock: false }),
  ),
  modified(
    'route53domains.domain.transfer-lock-on',
    doc.EnableDomainTransferLock,
    domain({ transfer_lock: false }),
    'low',
    { transfer_lock: true },
    domain(),
  ),
  modified(
    'route53domains.domain.auto-renew-off',
    doc.DisableDomainAutoRenew,
    domain(),
    'medium',
    { auto_renew: false },
    domain({ auto_renew: false }),
  ),
  modified(
    'route53domains.domain.auto-renew-on',
    doc.EnableDomainAutoRenew,
    domain({ auto_renew: false }),
    'low',
    { auto_renew: true },
    domain(),
  ),
  modified('route53domains.domain.name-servers', doc.UpdateDomainNameservers, domain(), 'high', []),
];

describe('rules/route53domains.yaml', () => {
  ruleCases('rules/route53domains.yaml', cases);
});
