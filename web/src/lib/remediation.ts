// Suggested next steps for a drift, as shell / HCL text (rendered as text, never as HTML).

import type { Drift } from '../types.js';

/** Single-quote for POSIX shells: addresses like aws_x.y["key"] carry quotes and brackets. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function hclString(text: string): string {
  return JSON.stringify(text);
}

/** A legal Terraform resource name derived from an id (import blocks need one). */
function suggestedName(id: string): string {
  const name = id
    .replace(/^arn:.*[:/]/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[^A-Za-z_]+/, '');
  return (name || 'imported').slice(0, 60);
}

export interface Remediation {
  readonly title: string;
  readonly text?: string;
  readonly code?: string;
}

export function remediationFor(drift: Drift): Remediation[] {
  const { address, type, id } = drift.resource;
  if (drift.kind === 'unmanaged' || !address) {
    const importId = id ?? drift.resource.arn ?? 'RESOURCE_ID';
    const to = `${type}.${suggestedName(importId)}`;
    return [
      {
        title: 'Bring it under Terraform (Terraform 1.5+ import block)',
        code: `import {\n  to = ${to}\n  id = ${hclString(importId)}\n}`,
        text: 'Add the block next to a matching resource block, then run terraform plan and apply.',
      },
      { title: 'Or with the CLI', code: `terraform import ${shellQuote(to)} ${shellQuote(importId)}` },
      {
        title: 'Or, if it should not exist',
        text: 'Delete it in AWS, after checking nothing depends on it.',
      },
    ];
  }
  const target = `-target=${shellQuote(address)}`;
  const restore: Remediation = {
    title: drift.kind === 'deleted' ? 'Recreate it from the code' : 'Restore the value in the code',
    code: `terraform plan ${target}\nterraform apply ${target}`,
    text:
      drift.kind === 'deleted'
        ? 'The plan should show the resource to be created again.'
        : 'The plan should show the attributes above changing back to their expected values.',
  };
  const accept: Remediation = {
    title: 'Or accept the change',
    text:
      drift.kind === 'deleted'
        ? `If the deletion was intended, remove the resource from the code (or run terraform state rm ${shellQuote(address)}).`
        : 'If the change was intended, update the Terraform code to the actual values; the next plan then shows no changes.',
  };
  return [restore, accept];
}
