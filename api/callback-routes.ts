import { Router, type Response } from 'express';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { Logger } from '../common/logger';
import { pushesTotal } from '../common/metrics';
import { payResultFromPush, refundResult } from '../protocol/pay-result';
import { se03Output, se03Push, se05Output, se05Push } from '../protocol/se-messages';
import { describeZodError } from '../protocol/zod-helpers';
import { buildWuqiReply } from '../protocol/wuqi';
import { wuqiPayResultFromPush, wuqiPushEnvelope, wuqiSe03Output, type WuqiSe03Output } from '../protocol/wuqi-results';
import type { PushRouter } from './service';

const RECORD_DEADLINE_MS = 5_000;

// Chaos testing only: CHAOS_KILL_BEFORE_ACK=<rate> makes the process die after recording a push and
// before acknowledging it, as a crash would. Unset in every real deployment.
const CHAOS_KILL_RATE = Number(process.env.CHAOS_KILL_BEFORE_ACK ?? 0);
function chaosCrashBeforeAck() {
  if (CHAOS_KILL_RATE > 0 && Math.random() < CHAOS_KILL_RATE) process.kill(process.pid, 'SIGKILL');
}

/**
 * A refused 五期 push: C001 (客户端报文解析错误) when the envelope is wrong, C002 (客户端报文数据格式错误) when
 * the xxnr content is; fhxx (at most 200 characters, §3.2.1) lists the failing fields.
 */
function wuqiRejection(error: z.ZodError): { code: 'C001' | 'C002'; fhxx: string } {
  const content = error.issues.every((i) => i.path[0] === 'xxnr');
  return { code: content ? 'C002' : 'C001', fhxx: `${content ? '报文数据格式错误' : '报文格式错误'}: ${describeZodError(error)}` };
}

/**
 * The platform's pushes become signals. We acknowledge only after Temporal has recorded the push
 * (as a signal, or in the inbox for unknown tokens); otherwise the platform is told to retry.
 */
export function callbackRoutes(pushes: PushRouter, log: Logger) {
  const r = Router();
  // Bodies this process has already recorded, to count duplicates (they are still delivered).
  const seen = new Map<string, true>();
  const isDuplicate = (body: unknown) => {
    const key = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    if (seen.has(key)) return true;
    seen.set(key, true);
    if (seen.size > 50_000) seen.delete(seen.keys().next().value!);
    return false;
  };

  const rejected = (kind: 'SE03' | 'SE05') => pushesTotal.inc({ kind, outcome: 'rejected' });
  const nationalAck = (res: Response) => res.json({ infcode: 0 });
  const nationalNack = (res: Response, status: number, msg: string) => res.status(status).json({ infcode: -1, err_msg: msg });
  // 五期 answers carry every §3.2.1 node; msgid echoes the push's.
  const wuqiReply = (res: Response, code: string, msg: string) =>
    buildWuqiReply({ xxlxm: String(res.locals.wuqiXxlxm ?? ''), msgid: String(res.locals.wuqiMsgid ?? ''), xxfhm: code, fhxx: msg });
  const wuqiAck = (res: Response) => res.json(wuqiReply(res, 'P001', '成功'));
  const wuqiNack = (res: Response, status: number, code: string, msg: string) => res.status(status).json(wuqiReply(res, code, msg));

  async function record(res: Response, route: 'NATIONAL' | 'WUQI', kind: 'SE03' | 'SE05', body: unknown, deliver: () => Promise<string>) {
    try {
      // Past the deadline we answer "retry": a late success only makes the platform's retry a duplicate.
      const delivery = deliver();
      delivery.catch(() => undefined); // a loser of the race must not become an unhandled rejection
      const how = await Promise.race([
        delivery,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not recorded within ${RECORD_DEADLINE_MS} ms`)), RECORD_DEADLINE_MS).unref()),
      ]);
      log.info({ route, how }, 'push recorded');
      chaosCrashBeforeAck();
      pushesTotal.inc({ kind, outcome: how === 'inbox' ? 'orphan' : isDuplicate(body) ? 'duplicate' : 'received' });
      return route === 'NATIONAL' ? nationalAck(res) : wuqiAck(res);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'push not recorded: Temporal unavailable');
      pushesTotal.inc({ kind, outcome: 'unrecorded' });
      return route === 'NATIONAL'
        ? nationalNack(res, 503, 'temporarily unable to record the push, retry later')
        : wuqiNack(res, 503, 'A001', '服务端异常，请重试');
    }
  }

  /** One push path: validate, then record and acknowledge in that route's own dialect. */
  function pushPath<S extends z.ZodTypeAny>(
    path: string,
    kind: 'SE03' | 'SE05',
    route: 'NATIONAL' | 'WUQI',
    schema: S,
    outputOf: (parsed: z.output<S>) => Record<string, unknown>,
    deliver: (output: Record<string, unknown>) => Promise<string>,
  ) {
    r.post(path, async (req, res) => {
      if (route === 'WUQI') {
        const b = (req.body ?? {}) as Record<string, unknown>;
        res.locals.wuqiXxlxm = kind;
        res.locals.wuqiMsgid = typeof b.msgid === 'string' ? b.msgid.slice(0, 30) : '';
      }
      const p = schema.safeParse(req.body);
      if (!p.success) {
        rejected(kind);
        if (route === 'WUQI') {
          const no = wuqiRejection(p.error);
          log.warn({ kind, issues: describeZodError(p.error) }, '五期 push refused');
          return wuqiNack(res, 400, no.code, no.fhxx);
        }
        return nationalNack(res, 400, `invalid ${kind} push: ${describeZodError(p.error)}`);
      }
      const output = outputOf(p.data);
      return record(res, route, kind, output, () => deliver(output));
    });
  }

  type Se03 = z.output<typeof se03Output>;
  type Se05 = z.output<typeof se05Output>;
  const payPush = (route: 'NATIONAL' | 'WUQI') => (out: Record<string, unknown>) => {
    if (route === 'WUQI') {
      const { wuqi: _parsed, ...raw } = out as WuqiSe03Output; // the inbox keeps the push as received
      return pushes.deliverPayPush({ ...wuqiPayResultFromPush(out as WuqiSe03Output), receivedAt: Date.now() }, route, raw);
    }
    const { settlement: _parsed, ...raw } = out as Se03; // the inbox keeps the push as received
    return pushes.deliverPayPush({ ...payResultFromPush(out as Se03), receivedAt: Date.now() }, route, raw);
  };
  const refundPush = (route: 'NATIONAL' | 'WUQI') => (out: Record<string, unknown>) => pushes.deliverRefundPush(refundResult('push', out as Se05), route, out);

  pushPath('/notify/nation', 'SE03', 'NATIONAL', se03Push, (d) => d.output, payPush('NATIONAL'));
  pushPath('/refund/nation', 'SE05', 'NATIONAL', se05Push, (d) => d.output, refundPush('NATIONAL'));
  // 五期 (§3.1 2: http://[前置机IP]:8888/shyb/notify): the envelope's xxnr is the SE03/SE05 入参; P001 ends the retries.
  pushPath('/notify', 'SE03', 'WUQI', wuqiPushEnvelope('SE03', wuqiSe03Output), (d) => d.xxnr as WuqiSe03Output, payPush('WUQI'));
  pushPath('/refund', 'SE05', 'WUQI', wuqiPushEnvelope('SE05', se05Output), (d) => d.xxnr as Se05, refundPush('WUQI'));

  return r;
}
