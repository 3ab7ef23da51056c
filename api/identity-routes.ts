import { Router } from 'express';
import { createPlatformActivities } from '../activities/platform-activities';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { maskPersonal } from '../common/logger';
import type { PlatformClient } from '../platform/client';
import { se01Request } from '../platform/identity';
import { decideRoute } from '../protocol/routing';
import { se01Output } from '../protocol/wuqi';
import { DEFAULT_TIMING } from '../workflows/messages';
import { badRequest, problem } from './errors';
import { identitySchema } from './schemas';

/**
 * POST /api/identities: SE01, SM01 and (national persons) 1101, straight through the platform client, no
 * workflow. V13 附件一 2 orders the flow decode → 帐户查询 → 明细上传/试算 → settle: the HIS needs the
 * ecToken (2201A–2206 use mdtrt_cert_no = ecToken) and the route (a 五期 person needs a 五期 bill) before
 * it builds the bill. The name and ID number from SE01 stay in this request: they go to 1101 (Shanghai
 * guide §5.1) and are never answered or logged.
 */
export function identityRoutes(deps: { client: PlatformClient; config: Config; log: Logger }) {
  const { client, config, log } = deps;
  const acts = createPlatformActivities(deps);
  const r = Router();

  r.post('/identities', async (req, res) => {
    const body = identitySchema.safeParse(req.body);
    if (!body.success) return badRequest(res, body.error);
    const { operator } = body.data;
    const wuqiOperator = { id: operator.opter.slice(0, 20), name: operator.opter_name };
    const se01 = await client.wuqi({ xxlxm: 'SE01', xxnr: se01Request(config, body.data), operator: wuqiOperator, outputSchema: se01Output });
    if (se01.kind === 'unknown') return problem(res, 502, `SE01 gave no answer: ${se01.reason}`);
    if (se01.kind === 'business') return problem(res, 422, `SE01 refused the e-voucher: ${maskPersonal(`${se01.code} ${se01.message}`.trim())}`);
    // the token is valid about 5 minutes from decoding (五期 §1.3.7)
    const tokenExpiresAt = new Date(Date.now() + (config.timing.tokenValidMs ?? DEFAULT_TIMING.tokenValidMs)).toISOString();
    const { ecToken, username, idno } = se01.output;

    let account;
    try {
      account = await acts.queryAccount({ ecToken, operator });
    } catch (err) {
      return problem(res, 502, (err as Error).message);
    }
    if (account.kind === 'business') return problem(res, 422, `SM01 refused: ${maskPersonal(account.message)}`);
    let decision;
    try {
      decision = decideRoute(account.accountattr);
    } catch (err) {
      return problem(res, 422, `SM01 answered an invalid accountattr: ${(err as Error).message}`);
    }
    const answer = { ecToken, route: decision.route, routeReason: decision.reason, tokenExpiresAt };
    if (decision.route !== 'NATIONAL') return res.json(answer);

    const person = await acts.queryPersonInfo({ ecToken, operator, pName: username, pIdNo: idno });
    if (person.kind !== 'ok') {
      // the route and token still let the HIS go on: the order looks up (or defaults) insuplc_admdvs itself
      log.warn({ outcome: person.kind, detail: maskPersonal(person.kind === 'business' ? person.message : person.reason) }, '1101 gave no person info for an identity');
      return res.json(answer);
    }
    return res.json({ ...answer, psnNo: person.psnNo, insuplcAdmdvs: person.insuplcAdmdvs });
  });
  return r;
}
