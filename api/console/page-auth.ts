import type { NextFunction, Request, Response } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The HTML shells of /console and /demo hold no data: every figure on them comes from /api with the
 * bearer key (asked once by the page, kept in sessionStorage). Without API_KEYS the API serves loopback
 * clients only, and so do the shells, so nobody off the host even sees the page.
 */
export function shellAccess(keys: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (keys.length > 0 || LOOPBACK.has(req.socket.remoteAddress ?? '')) return next();
    return res.status(401).type('text/plain').send('API_KEYS is not set: the console is served to loopback clients only\n');
  };
}

/** Escapes text for HTML (server-rendered values only; the page scripts use textContent). */
export function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
