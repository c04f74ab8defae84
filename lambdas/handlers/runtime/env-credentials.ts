// Lambda hands every function its role's credentials in environment variables. Bundles alias the
// SDK's default provider chain (SSO, INI files, IMDS, process, web identity: ~90 KB minified, plus
// their STS/SSO clients) to this one provider, which is all a Lambda ever uses. See lib/bundling.ts.

import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (_init?: unknown) => fromEnv();
