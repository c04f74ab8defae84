// The normalisers and the name/value form of tag maps added for the application-service rules
// (Route 53, ECS, RDS/ElastiCache parameter groups), checked directly on their edge cases.

import { describe, expect, it } from 'vitest';
import { NORMALISERS, tagMap } from '../../lambdas/core/values.js';

const n = (name: string, value: unknown) => NORMALISERS[name](value);

describe('added normalisers', () => {
  it('route53-record-id drops the zone prefix and the trailing dot before the type', () => {
    expect(n('route53-record-id', '/hostedzone/Z1_www.example.com._A')).toBe('Z1_www.example.com_A');
    expect(n('route53-record-id', 'Z1__dmarc.example.com._TXT')).toBe('Z1__dmarc.example.com_TXT');
    expect(n('route53-record-id', 'Z1_w.example.com._CNAME_blue.v2')).toBe('Z1_w.example.com_CNAME_blue.v2');
    expect(n('route53-record-id', 'Z1_example.com_MX')).toBe('Z1_example.com_MX');
  });

  it('dns-name ignores case and the root dot; dns-values ignores order and TXT quotes', () => {
    expect(n('dns-name', 'D111.CloudFront.net.')).toBe('d111.cloudfront.net');
    expect(n('dns-values', [{ value: '"v=spf1 -all"' }, { value: '10 mx.example.com' }])).toEqual([
      '10 mx.example.com',
      'v=spf1 -all',
    ]);
    expect(n('dns-values', ['v=spf1 -all', '10 mx.example.com'])).toEqual([
      '10 mx.example.com',
      'v=spf1 -all',
    ]);
  });

  it('arn-resource keeps what follows the resource type, and passes non-ARNs through', () => {
    expect(n('arn-resource', 'arn:aws:ecs:us-east-1:1:task-definition/api:41')).toBe('api:41');
    expect(n('arn-resource', 'arn:aws:lambda:us-east-1:1:function:orders')).toBe('orders');
    expect(n('arn-resource', 'api:41')).toBe('api:41');
    expect(n('arn-resource', null)).toBe(null);
  });

  it('tag maps also read name/value and parameterName/parameterValue lists', () => {
    expect(
      tagMap([{ parameterName: 'rds.force_ssl', parameterValue: '0', applyMethod: 'immediate' }]),
    ).toEqual({ 'rds.force_ssl': '0' });
    expect(tagMap([{ name: 'containerInsights', value: 'enabled' }])).toEqual({
      containerInsights: 'enabled',
    });
    expect(tagMap([{ key: 'k', name: 'ignored', value: 'v' }])).toEqual({ k: 'v' });
  });
});
