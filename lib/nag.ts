// How cdk-nag names a value in a finding id: a concrete string as is, an unresolved pseudo parameter
// as <AWS::AccountId> / <AWS::Region> (acknowledgement ids must be plain strings, never tokens).

import { type Stack, Token } from 'aws-cdk-lib';

export function nagAccount(stack: Stack): string {
  return Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
}

export function nagRegion(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
}
