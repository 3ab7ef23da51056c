import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { formatYuan, MoneyError, sameAmount, toFen } from '../../protocol/money';
import { MsgidGenerator, newOrderNo, NATIONAL_MSGID_RE, ORDER_NO_RE, wuqiOrderNo } from '../../protocol/msgid';
import { compactMillis, formatDateTime, parseDateTime } from '../../protocol/shanghai-time';

describe('money', () => {
  test('"5000.0", 5000.00 and "5000.00" are the same 500000 fen', () => {
    expect(toFen('5000.0')).toBe(500000);
    expect(toFen(5000.0)).toBe(500000);
    expect(toFen('5000.00')).toBe(500000);
    expect(sameAmount('5000.0', 5000)).toBe(true);
  });
  test('0.1 + 0.2 in fen is exactly 0.3', () => {
    expect(toFen(0.1) + toFen(0.2)).toBe(toFen('0.3'));
  });
  test('refuses 3 decimals and garbage', () => {
    expect(() => toFen('1.005')).toThrow(MoneyError);
    expect(() => toFen('abc')).toThrow(MoneyError);
    expect(() => toFen(NaN)).toThrow(MoneyError);
  });
  test('fen -> yuan text round-trips for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        expect(toFen(formatYuan(fen))).toBe(fen);
      }),
    );
  });
});

describe('Shanghai time', () => {
  test('is UTC+8 whatever TZ says', () => {
    // 2022-03-03 12:54:40 UTC = 20:54:40 in Shanghai
    const t = Date.UTC(2022, 2, 3, 12, 54, 40, 313);
    expect(formatDateTime(t)).toBe('2022-03-03 20:54:40');
    expect(compactMillis(t)).toBe('20220303205440313');
    expect(parseDateTime('2022-03-03 20:54:40')).toBe(t - 313);
  });
  test('crosses midnight in Shanghai before UTC does', () => {
    expect(formatDateTime(Date.UTC(2022, 11, 31, 16, 0, 0))).toBe('2023-01-01 00:00:00');
  });
});

describe('msgid generator', () => {
  test('national msgid has the V13 shape and fixed-width parts', () => {
    const g = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 3 });
    const id = g.national();
    expect(id).toHaveLength(30);
    expect(id).toMatch(NATIONAL_MSGID_RE);
    expect(id.startsWith('H31011000053')).toBe(true);
    expect(id[26]).toBe('3'); // instance digit
  });

  test('stays unique over 10,000 concurrent generations', async () => {
    const g = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 0 });
    const ids = await Promise.all(Array.from({ length: 10_000 }, () => Promise.resolve().then(() => g.national())));
    expect(new Set(ids).size).toBe(10_000);
    expect(ids.every((i) => NATIONAL_MSGID_RE.test(i))).toBe(true);
  });

  test('two instances never collide, even with a frozen clock', () => {
    const now = () => 1_700_000_000_000;
    const a = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 1, now });
    const b = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 2, now });
    const ids = [...Array.from({ length: 3000 }, () => a.national()), ...Array.from({ length: 3000 }, () => b.national())];
    expect(new Set(ids).size).toBe(6000);
  });

  test('a restart with the same clock does not reuse msgids (watermark file)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msgid-'));
    const file = path.join(dir, 'wm');
    const now = () => 1_700_000_000_000;
    const first = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 0, now, watermarkFile: file });
    const before = Array.from({ length: 2500 }, () => first.national());
    const second = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 0, now, watermarkFile: file });
    const after = Array.from({ length: 2500 }, () => second.national());
    expect(new Set([...before, ...after]).size).toBe(5000);
  });

  test('五期 msgid is 11 + 8 + 9 characters', () => {
    const g = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 0 });
    const id = g.wuqi('31011000053');
    expect(id).toHaveLength(28);
    expect(id).toMatch(/^31011000053\d{8}\d{9}$/);
  });

  test('orderNo = code(12) + yyyyMMddHHmmssSSS + 6 digits, in Shanghai time', () => {
    const t = Date.UTC(2022, 2, 3, 12, 41, 25, 0);
    const o = newOrderNo('H31011000053', t);
    expect(o).toMatch(ORDER_NO_RE);
    expect(o.slice(12, 29)).toBe('20220303204125000');
  });

  test("the 五期 orderNo is WUQI_ORG_CODE (11) + the orderNo's time and random digits (§4.8.2.2), not the national code without H", () => {
    const o = newOrderNo('H31011000053', Date.UTC(2022, 2, 3, 12, 41, 25, 0));
    const w = wuqiOrderNo(o, '3101100009Z');
    expect(w).toBe(`3101100009Z${o.slice(-23)}`);
    expect(w).toMatch(/^[0-9A-Z]{11}\d{23}$/);
    expect(() => wuqiOrderNo(o, 'H31011000053')).toThrow(/11 characters/);
    expect(() => wuqiOrderNo('H31011000053ABC', '31011000053')).toThrow(/yyyyMMddHHmmssSSS/);
  });
});

describe('Shanghai time whatever the process TZ', () => {
  test.each(['UTC', 'America/New_York', 'Asia/Tokyo'])('TZ=%s formats a fixed instant as Shanghai time', (tz) => {
    const script =
      "const t=require('./protocol/shanghai-time');const m=require('./protocol/msgid');" +
      "console.log(JSON.stringify([new Date(0).getTimezoneOffset(), t.formatDateTime(Date.UTC(2022,2,3,12,54,40)), m.newOrderNo('H31011000053', Date.UTC(2022,11,31,16,0,0)).slice(12,29)]))";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    const [offset, dt, stamp] = JSON.parse(out.trim().split('\n').pop()!);
    if (tz !== 'UTC') expect(offset).not.toBe(0); // the child really ran in that zone
    expect(dt).toBe('2022-03-03 20:54:40');
    expect(stamp).toBe('20230101000000000');
  });
});
