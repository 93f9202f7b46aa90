#!/usr/bin/env node
// The `hearth` command. Sources are TypeScript, loaded through tsx's ESM hook so
// there is no separate build step between a checkout and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
