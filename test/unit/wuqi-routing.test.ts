import { decideRoute, WUQI_RULES } from '../../protocol/routing';

const NORMAL = '1000000000000000';
/** accountattr with `value` at 1-based `position`, the rest as an ordinary employee's. */
const at = (position: number, value: string, base = NORMAL) => base.slice(0, position - 1) + value + base.slice(position);

describe('one test per rule of the table', () => {
  test('the table has the four accountattr rules and the two 工伤 rules', () => {
    expect(WUQI_RULES.map((r) => (r.kind === 'accountattr' ? `${r.position}=${r.value}` : r.id))).toEqual([
      '2=1',
      '12=G',
      '12=A',
      '16=A',
      'WORK_INJURY_BILL',
      'WORK_INJURY_MED_TYPE',
    ]);
  });
  test('干部保健对象: position 2 = 1', () =>
    expect(decideRoute(at(2, '1'))).toMatchObject({ route: 'WUQI', reason: expect.stringMatching(/^accountattr\[2\]=1 干部保健对象/) }));
  test('医疗互助帮困对象: position 12 = G', () =>
    expect(decideRoute(at(12, 'G', '0000000000000000'))).toMatchObject({ route: 'WUQI', reason: expect.stringMatching(/^accountattr\[12\]=G 医疗互助帮困/) }));
  test('民政医疗帮困: position 12 = A', () =>
    expect(decideRoute(at(12, 'A', '0000000000000000'))).toMatchObject({ route: 'WUQI', reason: expect.stringMatching(/^accountattr\[12\]=A 民政医疗帮困/) }));
  test('民政帮困兼居民保险: position 16 = A', () =>
    expect(decideRoute(at(16, 'A', '00000000000F0000'))).toMatchObject({
      route: 'WUQI',
      reason: expect.stringMatching(/^accountattr\[16\]=A 民政帮困兼居民保险/),
    }));
  test.each(['SH02', 'SI12'])('工伤: %s bill with persontype 1', (type) =>
    expect(decideRoute(NORMAL, { wuqiBill: { type, xxnr: { persontype: '1' } } })).toMatchObject({
      route: 'WUQI',
      reason: expect.stringMatching(/^WORK_INJURY_BILL 工伤/),
    }),
  );
  test('工伤: national payRequest med_type 994101', () =>
    expect(decideRoute(NORMAL, { medType: '994101' })).toMatchObject({ route: 'WUQI', reason: expect.stringMatching(/^WORK_INJURY_MED_TYPE 工伤/) }));
  test('no rule: national, with the reason', () =>
    expect(decideRoute(NORMAL)).toMatchObject({ route: 'NATIONAL', reason: expect.stringMatching(/no 五期 rule matched/) }));
});

describe('工伤 rules apply only as written', () => {
  test.each([
    ['an SH02 bill with persontype 0', { wuqiBill: { type: 'SH02', xxnr: { persontype: '0' } } }],
    ['an SI52 bill with persontype 1 (the rule names SH02/SI12)', { wuqiBill: { type: 'SI52', xxnr: { persontype: '1' } } }],
    ['med_type 994102 工伤住院 (the rule names 994101)', { medType: '994102' }],
    ['med_type 11 普通门诊', { medType: '11' }],
  ])('%s stays national', (_n, facts) => expect(decideRoute(NORMAL, facts).route).toBe('NATIONAL'));
  test('a person rule wins the reason over a 工伤 bill', () =>
    expect(decideRoute(at(2, '1'), { wuqiBill: { type: 'SH02', xxnr: { persontype: '1' } } }).reason).toMatch(/^accountattr\[2\]/));
});

// §7.1.4 (and A.6): every position and every value the dictionary lists, each decided as the table says.
describe('per §7.1.4 position', () => {
  const positions: Array<[number, string, string[], string[]]> = [
    [1, '职退情况', ['1', '2', '3'], []],
    [2, '保健对象', ['0'], ['1']],
    [3, '公务员', ['0', '1', '2'], []],
    [4, '特殊待遇标识', ['0', '1', '2'], []],
    [5, '封存标志', ['0', '1'], []],
    [10, '在职享受退休标志', ['0', '1'], []],
    [12, '适用医保办法标志', ['0', '3', 'B', 'C', 'D', 'E', 'F', 'H', 'Y'], ['A', 'G']],
    [14, '等待期标识', ['0', '1'], []],
    [15, '使用就医记录册标志', ['0', '1'], []],
    [16, '特殊结算标志', ['0', '9', 'B', 'C', 'D', 'F', 'G', 'H', 'I', 'J', 'K'], ['A']],
  ];
  for (const [position, name, national, wuqi] of positions) {
    test(`position ${position} ${name}: ${national.join('/')} national${wuqi.length ? `, ${wuqi.join('/')} 五期` : ''}`, () => {
      // A base that no rule matches at any other position (position 2 is 0, 12 is 0, 16 is 0).
      const base = '1000000000000000';
      for (const v of national) expect([position, v, decideRoute(at(position, v, base)).route]).toEqual([position, v, 'NATIONAL']);
      for (const v of wuqi) {
        const d = decideRoute(at(position, v, base));
        expect(d.route).toBe('WUQI');
        expect(d.reason).toContain(`accountattr[${position}]=${v}`);
      }
    });
  }
  test('a malformed accountattr is an error, not a guess', () => {
    expect(() => decideRoute('100000000000000')).toThrow('accountattr must be 16 characters');
    expect(() => decideRoute('100000000000000a')).toThrow('accountattr must be 16 characters');
  });
});
