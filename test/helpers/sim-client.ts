import got from 'got';
import { buildNationalEnvelope, type Operator } from '../../protocol/national-header';
import { MsgidGenerator, newOrderNo } from '../../protocol/msgid';
import { buildWuqiEnvelope } from '../../protocol/wuqi';

const msgids = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 9 });
export const onlineOperator: Operator = { opter: '0018', opter_name: 'doct', opter_type: '4' };

export function nationalEnvelope(
  infno: string,
  input: Record<string, unknown>,
  operator: Operator = onlineOperator,
  header: { signNo?: string; insuplcAdmdvs?: string } = {},
) {
  return buildNationalEnvelope({
    infno,
    msgid: msgids.national(),
    input,
    operator,
    ...header,
    defaults: { fixmedinsCode: 'H31011000053', fixmedinsName: '三级机构', mdtrtareaAdmvs: '310000', recerSysCode: 'HIS', infver: 'V1.0' },
  });
}

export function wuqiEnvelope(xxlxm: string, xxnr: Record<string, unknown>) {
  return buildWuqiEnvelope({
    xxlxm,
    msgid: msgids.wuqi('31011000053'),
    xxnr,
    operator: { id: '0018', name: 'doct' },
    defaults: { orgCode: '31011000053', xzqhdm: '310000', bbh: 'V1.0' },
  });
}

const TEST = '/gjptqzyy-test/api/v1/route';
const PROD = '/gjptqzyy-prod/api/v1/route';

export function simApi(baseUrl: string) {
  const post = async (path: string, body: object) =>
    (await got.post(`${baseUrl}${path}`, { json: body, throwHttpErrors: false, responseType: 'json', retry: { limit: 0 } })) as {
      statusCode: number;
      body: any;
    };
  let signNo = '';
  const signIn = async () => {
    const r = await post(PROD, nationalEnvelope('9001', { signIn: { opter_no: 'SIMTEST', mac: '00:11:22:33:44:55', ip: '127.0.0.1' } }));
    signNo = r.body.output.signinoutb.sign_no;
  };
  /** The prod path: signs in (9001) first, and again when the simulator says the sign-in is gone (after a reset). */
  const national = async (infno: string, input: Record<string, unknown>, operator?: Operator) => {
    if (!signNo) await signIn();
    let r = await post(PROD, nationalEnvelope(infno, input, operator, { signNo }));
    if (r.body.infcode === -1 && /签到/.test(r.body.err_msg ?? '')) {
      await signIn();
      r = await post(PROD, nationalEnvelope(infno, input, operator, { signNo }));
    }
    return r.body;
  };
  return {
    /** The test path (V13 §3.1): no sign-in needed, and never a push (§3.2). */
    route: (body: object) => post(TEST, body).then((r) => r.body),
    nationalTest: (infno: string, input: Record<string, unknown>, operator?: Operator) =>
      post(TEST, nationalEnvelope(infno, input, operator)).then((r) => r.body),
    national,
    /** A valid sign_no for hand-built prod envelopes. */
    signNo: async () => {
      await signIn();
      return signNo;
    },
    prod: (body: object) => post(PROD, body).then((r) => r.body),
    wuqi: (xxlxm: string, xxnr: Record<string, unknown>) => post('/wuqi', wuqiEnvelope(xxlxm, xxnr)).then((r) => r.body),
    token: (personId: string) => post('/__sim/tokens', { personId }).then((r) => r.body.ecToken as string),
    /** every issued ecToken expires now (with the setting sk01RefusesExpiredTokens, SK01 refuses them) */
    expireTokens: () => post('/__sim/tokens/expire', {}).then((r) => r.body.expired as number),
    qrcode: (personId: string) => post('/__sim/qrcodes', { personId }).then((r) => r.body.ecQrCode as string),
    fault: (rule: Record<string, unknown>) => post('/__sim/faults', rule),
    settings: async (s: Record<string, unknown>) => (await got.put(`${baseUrl}/__sim/settings`, { json: s, responseType: 'json' })).body,
    ledger: async () => (await got.get(`${baseUrl}/__sim/ledger`, { responseType: 'json' })).body as any,
    post,
  };
}

export function payRequestFor(ecToken: string, psnNo: string, medfee = '100.00') {
  return {
    data: {
      psn_no: psnNo,
      mdtrt_cert_type: '01',
      mdtrt_cert_no: ecToken,
      med_type: '11',
      medfee_sumamt: medfee,
      psn_setlway: '01',
      mdtrt_id: `M${Date.now()}`,
      chrg_bchno: 'SF01',
      acct_used_flag: '0',
      insutype: '310',
    },
  };
}

export const orderNo = () => newOrderNo('H31011000053');
