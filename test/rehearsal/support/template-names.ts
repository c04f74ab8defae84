// The names the end-to-end rehearsal reads from a deployed stack: the rehearsal's one resolver of
// CloudFormation intrinsics (../cfn-resolve.ts, also used by the IAM check), so that function
// environments, subscriptions and routes read as they would in AWS, with the same physical names
// everywhere in the rehearsal.

import { CfnResolver, type DeployTarget } from '../cfn-resolve.js';

export type { DeployTarget };

/** A deployed stack's template with made-up physical names, and the function a property names. */
export class TemplateNames extends CfnResolver {
  /** Where the stack is deployed. */
  get target(): DeployTarget {
    return { account: this.account, region: this.region, stackName: this.stackName };
  }

  /** The resolved properties of a resource, typed by the caller. */
  override properties<T = Record<string, unknown>>(logicalId: string): T {
    return super.properties(logicalId) as T;
  }

  /** The logical id of the Lambda function a property refers to (Fn::GetAtt [fn, Arn] or Ref fn). */
  functionIn(value: unknown): string {
    const found = new Set<string>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === 'object' && node !== null) {
        for (const [k, v] of Object.entries(node)) {
          const id =
            k === 'Fn::GetAtt' && Array.isArray(v) ? String(v[0]) : k === 'Ref' ? String(v) : undefined;
          if (id && this.template.Resources[id]?.Type === 'AWS::Lambda::Function') found.add(id);
          else walk(v);
        }
      }
    };
    walk(value);
    if (found.size !== 1) throw new Error(`expected one Lambda function in ${JSON.stringify(value)}`);
    return [...found][0];
  }
}
