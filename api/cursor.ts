import { z } from 'zod';

// Cursors are opaque to the client: base64url JSON of where the next page starts. A cursor that
// does not decode is the client's error (400), never a 500.

export const encodeCursor = (position: Record<string, unknown>) => Buffer.from(JSON.stringify(position)).toString('base64url');

export function decodeCursor<S extends z.ZodTypeAny>(cursor: string | undefined, schema: S): z.output<S> | undefined | 'invalid' {
  if (cursor === undefined) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return r.success ? r.data : 'invalid';
  } catch {
    return 'invalid';
  }
}

export const indexCursor = z.object({ i: z.number().int().min(0) }).strict();

/** A query parameter holding a cursor of this shape: decoded while validating, a 400 when it is not one. */
export const cursorParam = <S extends z.ZodTypeAny>(shape: S) =>
  z
    .string()
    .min(1)
    .max(4096)
    .transform((v, ctx): z.output<S> => {
      const d = decodeCursor(v, shape);
      if (d === 'invalid' || d === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a cursor of this list: pass nextCursor as given' });
        return z.NEVER;
      }
      return d;
    });

/**
 * A page of a Temporal visibility list: the server's nextPageToken (base64) and a fingerprint of the
 * list query it belongs to, so a cursor passed with other filters is a 400, not Temporal's error (a 500).
 */
export const visibilityCursor = z.object({ p: z.string().min(1).max(3000), f: z.string().regex(/^[0-9a-f]{16}$/) }).strict();
export type VisibilityCursor = z.output<typeof visibilityCursor>;
