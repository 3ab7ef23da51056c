import { createPlatformActivities } from '../../activities/platform-activities';
import { maskPersonal } from '../../common/logger';
import { decideRoute, isOutOfTown, OUT_OF_TOWN } from '../../protocol/routing';
import { DEFAULT_TIMING } from '../../workflows/messages';
import { ApiProblem } from '../errors';
import { identityResultSchema, identitySchema } from '../schemas';
import { defineRoute, type RouteDeps } from './route';

const activities = new WeakMap<object, ReturnType<typeof createPlatformActivities>>();
/** The platform activities over the API's own platform client, made once per client. */
function platformActivities({ platform, config, log }: RouteDeps) {
  let acts = activities.get(platform!);
  if (!acts) activities.set(platform!, (acts = createPlatformActivities({ client: platform!, config, log })));
  return acts;
}

/**
 * POST /api/identities: SE01, SM01 and (national persons) 1101, straight through the platform client, no
 * workflow. V13 附件一 2 orders the flow decode → 帐户查询 → 明细上传/试算 → settle: the HIS needs the
 * ecToken (2201A–2206 use mdtrt_cert_no = ecToken) and the route (a 五期 person needs a 五期 bill) before
 * it builds the bill. The name and ID number from SE01 stay in this request: they go to 1101 (Shanghai
 * guide §5.1) and are never answered or logged.
 */
export const createIdentity = defineRoute({
  method: 'post',
  path: '/api/identities',
  operationId: 'createIdentity',
  tag: 'settlements',
  summary: 'Decode an e-voucher before the bill: SE01, SM01 and (national persons) 1101; the ecToken, the route and insuplcAdmdvs, never the name or ID number',
  access: ['his'],
  needs: 'platform',
  input: { body: identitySchema },
  ok: { status: 200, description: 'identity', schema: identityResultSchema },
  problems: ['IDENTITY_REFUSED', 'PLATFORM_UNAVAILABLE'],
  handler: async ({ body }, { deps }) => {
    const { config, log } = deps;
    const { operator, ecQrCode, ecQrChannel, termIp, officeId, officeName } = body;
    // SE01 → SM01 → 1101 (national, not 异地) with SE01's identity, as the settlement does it
    let d;
    try {
      d = await platformActivities(deps).identifyByQr({ ecQrCode, ecQrChannel, operator, terminal: { termIp, officeId, officeName }, routeFacts: {} });
    } catch (err) {
      throw new ApiProblem('PLATFORM_UNAVAILABLE', `SE01 gave no answer: ${(err as Error).message}`);
    }
    if (d.kind === 'business') throw new ApiProblem('IDENTITY_REFUSED', `SE01 refused the e-voucher: ${maskPersonal(d.message)}`);
    // the token is valid about 5 minutes from decoding (五期 §1.3.7)
    const tokenExpiresAt = new Date(Date.now() + (config.timing.tokenValidMs ?? DEFAULT_TIMING.tokenValidMs)).toISOString();
    const account = d.account;
    if (!account) throw new ApiProblem('PLATFORM_UNAVAILABLE', 'SM01 gave no answer');
    if (account.kind === 'business') throw new ApiProblem('IDENTITY_REFUSED', `SM01 refused: ${maskPersonal(account.message)}`);
    let decision;
    try {
      decision = decideRoute(account.accountattr);
    } catch (err) {
      throw new ApiProblem('IDENTITY_REFUSED', `SM01 answered an invalid accountattr: ${(err as Error).message}`);
    }
    const outOfTown = decision.route === 'NATIONAL' && isOutOfTown(account.accountattr);
    const routeReason = outOfTown
      ? `${decision.reason}; ${OUT_OF_TOWN.reason}: no 1101 (Shanghai guide §4.3.2), give insuplcAdmdvs with the settlement`
      : decision.reason;
    const answer = { ecToken: d.ecToken, route: decision.route, routeReason, tokenExpiresAt };
    const person = d.person;
    if (!person) return answer;
    if (person.kind !== 'ok') {
      // the route and token still let the HIS go on: the order looks up (or defaults) insuplc_admdvs itself
      log.warn(
        { outcome: person.kind, detail: maskPersonal(person.kind === 'business' ? person.message : person.reason) },
        '1101 gave no person info for an identity',
      );
      return answer;
    }
    return { ...answer, psnNo: person.psnNo, insuplcAdmdvs: person.insuplcAdmdvs };
  },
});
