#!/usr/bin/env node
// npx tfdrift: run the TypeScript entry through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./tfdrift.ts');
