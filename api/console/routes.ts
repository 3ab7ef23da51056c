import * as path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../../common/config';
import { consolePage } from './page';
import { shellAccess } from './page-auth';

export const ASSETS_DIR = path.join(__dirname, 'assets');

/** Where the console links an order in the Temporal Web UI. */
export function temporalUiBase(config: Config): string {
  return config.temporalUiUrl;
}

/**
 * The finance console: one server-rendered page and its script and stylesheet, no build step. The
 * page calls the existing /api endpoints (reviews, resolve, inbox, match, reconciliation, search).
 */
export function consoleRoutes(config: Config) {
  const r = Router();
  // Scripts and styles hold no data; separate files (no inline script) so a strict CSP can apply.
  r.use('/assets', express.static(ASSETS_DIR, { fallthrough: false, index: false, maxAge: '5m' }));
  r.get('/', shellAccess(config.apiKeys), (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(consolePage({ temporalUi: temporalUiBase(config), namespace: config.TEMPORAL_NAMESPACE, keyRequired: config.apiKeys.length > 0 }));
  });
  return r;
}
