// rules/route53resolver.yaml: the Route 53 guide's CreateResolverEndpoint and Stratus Red Team's
// DNS-log deletion (corpus), doc-shaped records for the rest
// (test/fixtures/rules/route53resolver/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('route53resolver', 'route53resolver.amazonaws.com');
const corpusRecord = corpusCopy('route53resolver');

const EP = 'rslvr-out-1f4031f1f5example';
const RULE = 'rslvr-rr-5328a0899aexample';
const endpoint = () => res('aws_route53_resolver_endpoint', EP, { name: 'outbound', direction: 'OUTBOUND' });
const rule = () =>
  res('aws_route53_resolver_rule', RULE, {
    arn: `arn:aws:route53resolver:us-east-1:111122223333:resolver-rule/${RULE}`,
    name: 'corp',
    domain_name: 'corp.example.com',
    resolver_endpoint_id: EP,
    tags: { env: 'prod' },
  });

const cases: RuleCase[] = [
  created(
    'route53resolver.endpoint.create',
    corpusRecord('awsdocs-amazon-route53-docs/doc_source/logging-using-cloudtrail__6.json'),
    'aws_route53_resolver_endpoint',
  ),
  modified('route53resolver.endpoint.update', doc.UpdateResolverEndpoint, endpoint(), 'medium', {
    name: 'outbound-renamed',
  }),
  deleted('route53resolver.endpoint.delete', doc.DeleteResolverEndpoint, endpoint()),
  created(
    'route53resolver.query-log-config.create',
    doc.CreateResolverQueryLogConfig,
    'aws_route53_resolver_query_log_config',
  ),
  deleted(
    'route53resolver.query-log-config.delete',
    corpusRecord('stratus-red-team/docs/detonation-logs/aws.defense-evasion.dns-delete-logs__1.json'),
    res('aws_route53_resolver_query_log_config', 'rqlc-4473f20ca554c07', {
      name: 'stratus-red-team-dns-delete-config-bxxclslsdp',
    }),
    'high',
  ),
  created(
    'route53resolver.query-log-association.create',
    doc.AssociateResolverQueryLogConfig,
    'aws_route53_resolver_query_log_config_association',
  ),
  deleted(
    'route53resolver.query-log-association.delete',
    doc.DisassociateResolverQueryLogConfig,
    res('aws_route53_resolver_query_log_config_association', 'rqlca-1a2b3c4d5e6f7a8b', {
      resolver_query_log_config_id: 'rqlc-0a1b2c3d4e5f6a7b',
      resource_id: 'vpc-0abc1234',
    }),
    'high',
  ),
  created('route53resolver.rule.create', doc.CreateResolverRule, 'aws_route53_resolver_rule'),
  modified('route53resolver.rule.update', doc.UpdateResolverRule, rule(), 'medium', {
    name: 'corp-forward',
    resolver_endpoint_id: 'rslvr-out-0000000000example',
  }),
  deleted('route53resolver.rule.delete', doc.DeleteResolverRule, rule()),
  created(
    'route53resolver.rule-association.create',
    doc.AssociateResolverRule,
    'aws_route53_resolver_rule_association',
    'medium',
  ),
  deleted(
    'route53resolver.rule-association.delete',
    doc.DisassociateResolverRule,
    res('aws_route53_resolver_rule_association', 'rslvr-rrassoc-97242eaf88example', {
      resolver_rule_id: RULE,
    }),
  ),
  deleted(
    'route53resolver.firewall-association.delete',
    doc.DisassociateFirewallRuleGroup,
    res('aws_route53_resolver_firewall_rule_group_association', 'rslvr-frgassoc-0123456789abcdef', {
      vpc_id: 'vpc-0abc1234',
    }),
    'high',
  ),
  modified('route53resolver.tags.add', doc.TagResource, rule(), 'low', { 'tags.owner': 'mallory' }),
  modified('route53resolver.tags.remove', doc.UntagResource, rule(), 'low', { 'tags.env': null }),
];

describe('rules/route53resolver.yaml', () => {
  ruleCases('rules/route53resolver.yaml', cases);
});
