import type { Response } from 'express';
import type { z } from 'zod';
import { fieldErrors } from '../protocol/zod-helpers';

export function badRequest(res: Response, error: z.ZodError, what = 'invalid request') {
  return res.status(400).json({ error: what, details: fieldErrors(error) });
}

export function problem(res: Response, status: number, error: string) {
  return res.status(status).json({ error });
}
