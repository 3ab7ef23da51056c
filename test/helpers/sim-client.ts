import got from 'got';
import { buildNationalEnvelope, type Operator } from '../../protocol/national-header';
import { MsgidGenerator, newOrderNo } from '../../protocol/msgid';
import { buildWuqiEnvelope } from '../../protocol/wuqi';

const msgids = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 9 });
export const onlineOperator: Operator = { opter: '0018', opter_name: 'doct', opter_type: '4' };

export function nationalEnvelope(infno: string, input: Record<string, unknown>, operator: Operator = onlineOperator) {
  return buildNationalEnvelope({
    infno,
    msgid: msgids.national(),
    input,
    operator,
    defaults: { fixmedinsCode: 'H31011000053', fixmedinsName: '三级机构', mdtrtareaAdmvs: '310000', recerSysCode: 'HIS', infver: 'V1.0' },
  });
}

export function wuqiEnvelope(xxlxm: string, xxnr: Record<string, unknown>) {
  return buildWuqiEnvelope({ xxlxm, msgid: msgids.wuqi('31011000053'), xxnr, operator: { id: '0018', name: 'doct' }, defaults: { orgCode: '31011000053', xzqhdm: '310000', bbh: 'V1.0' } });
}

export function simApi(baseUrl: string) {
  const post = async (path: string, body: object) => (await got.post(`${baseUrl}${path}`, { json: body, throwHttpErrors: false, responseType: 'json', retry: { limit: 0 } })) as { statusCode: number; body: any };
  return {
    route: (body: object) => post('/gjptqzyy-test/api/v1/route', body).then((r) => r.body),
    national: (infno: string, input: Record<string, unknown>, operator?: Operator) => post('/gjptqzyy-test/api/v1/route', nationalEnvelope(infno, input, operator)).then((r) => r.body),
    wuqi: (xxlxm: string, xxnr: Record<string, unknown>) => post('/wuqi', wuqiEnvelope(xxlxm, xxnr)).then((r) => r.body),
    token: (personId: string) => post('/__sim/tokens', { personId }).then((r) => r.body.ecToken as string),
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
