import { sm2, sm3 } from 'sm-crypto';
import { publicKeyOf, signCainfo, signingString, verifyCainfo, type CainfoEncoding } from '../../protocol/cainfo';

// The library is checked against the published examples first, then our use of it (national §4.4).

const hex = (s: string) => s.replace(/\s+/g, '').toLowerCase();

// GM/T 0003.5-2012 (SM2 第5部分：参数定义) 附录A, the signature example on the recommended curve.
const GMT = {
  d: hex('3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8'),
  pub: hex(
    '04 09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020 CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13',
  ),
  userId: '1234567812345678',
  message: 'message digest',
  r: hex('F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3'),
  s: hex('B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA'),
};

describe('sm-crypto against the published vectors', () => {
  test('GM/T 0004-2012 附录A: SM3("abc")', () => {
    expect(sm3('abc')).toBe(hex('66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0'));
  });

  test('GM/T 0003.5-2012 附录A: the public key of d, and (r, s) verifies for "message digest" with the user ID', () => {
    expect(publicKeyOf(GMT.d)).toBe(GMT.pub);
    expect(sm2.doVerifySignature(GMT.message, GMT.r + GMT.s, GMT.pub, { hash: true, userId: GMT.userId })).toBe(true);
  });

  test('the vector fails with another message, another user ID, or a changed s', () => {
    expect(sm2.doVerifySignature('message digesT', GMT.r + GMT.s, GMT.pub, { hash: true, userId: GMT.userId })).toBe(false);
    expect(sm2.doVerifySignature(GMT.message, GMT.r + GMT.s, GMT.pub, { hash: true, userId: 'ALICE123@YAHOO.COM' })).toBe(false);
    expect(sm2.doVerifySignature(GMT.message, GMT.r + GMT.s.replace(/a$/, 'b'), GMT.pub, { hash: true, userId: GMT.userId })).toBe(false);
  });
});

describe('cainfo (national §4.4)', () => {
  const header = {
    infno: 'SE04',
    msgid: 'H31011000053202611270800000001',
    mdtrtarea_admvs: '310000',
    insuplc_admdvs: '310104',
    recer_sys_code: 'HIS',
    dev_no: '',
    cainfo: 'ignored',
    signtype: 'SM2',
    infver: 'V1.0',
    opter_type: '4',
    opter: '0018',
    opter_name: 'doct',
    inf_time: '2026-11-27 08:00:00',
    fixmedins_code: 'H31011000053',
    fixmedins_name: '三级机构',
    sign_no: 'SIGN1',
    input: { ecToken: 'tok' },
  };

  test('the 待签名字符串 leaves out cainfo and input, sorts by ASCII, and joins name=value with &', () => {
    expect(signingString(header, 'input')).toBe(
      'dev_no=&fixmedins_code=H31011000053&fixmedins_name=三级机构&inf_time=2026-11-27 08:00:00&infno=SE04&infver=V1.0&insuplc_admdvs=310104&mdtrtarea_admvs=310000&msgid=H31011000053202611270800000001&opter=0018&opter_name=doct&opter_type=4&recer_sys_code=HIS&sign_no=SIGN1&signtype=SM2',
    );
    expect(signingString({ infcode: 0, err_msg: null, cainfo: 'x', output: { a: 1 } }, 'output')).toBe('err_msg=&infcode=0');
  });

  test.each(['hex', 'base64', 'der-hex', 'der-base64'] as CainfoEncoding[])(
    '%s: a signed message verifies with the public key; a changed field or a wrong key does not',
    (encoding) => {
      const o = { userId: GMT.userId, encoding };
      const cainfo = signCainfo(header, 'input', GMT.d, o);
      expect(cainfo.length).toBeLessThanOrEqual(1024); // 表3 #8 字符型 1024
      const signed = { ...header, cainfo };
      expect(verifyCainfo(signed, 'input', GMT.pub, o)).toBe(true);
      expect(verifyCainfo({ ...signed, input: { ecToken: 'other' } }, 'input', GMT.pub, o)).toBe(true); // input is not signed (§4.4)
      expect(verifyCainfo({ ...signed, sign_no: 'SIGN2' }, 'input', GMT.pub, o)).toBe(false);
      expect(verifyCainfo(signed, 'input', publicKeyOf(hex('1'.repeat(64))), o)).toBe(false);
      expect(verifyCainfo(signed, 'input', GMT.pub, { ...o, userId: 'other' })).toBe(false);
      expect(verifyCainfo({ ...signed, cainfo: '' }, 'input', GMT.pub, o)).toBe(false);
      expect(verifyCainfo({ ...signed, cainfo: 'not a signature!' }, 'input', GMT.pub, o)).toBe(false);
    },
  );
});
