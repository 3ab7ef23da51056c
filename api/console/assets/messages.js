// The console's words, Chinese first with the English beside: reason codes as sentences, statuses, and times
// in Shanghai. One catalog for the page (window.shybMessages) and for Node (module.exports, the unit test).
// A reason is "CODE: detail" (the detail is English from our code or the platform, shown as is), "refund: …"
// for a refund's reason on its order, or a plain phrase ("by push", "resolved by …: note").
'use strict';
(function (root) {
  var REASONS = {
    // settlement: the result and its checks
    PUSH_UNCONFIRMED: ['推送结果未能由查询确认：截止时仍无一致的查询结果，请与平台核对', 'The push was not confirmed by an agreeing query by the deadline'],
    SUBMIT_OUTCOME_UNKNOWN: ['下单结果未知：截止时仍无平台结果，请向平台确认是否已结算', "The submission's outcome is unknown: no result by the deadline"],
    NO_FINAL_RESULT: ['截止时平台仍未给出最终结果，请与平台核对', 'No final result from the platform by the deadline'],
    PUSH_CONFLICT: ['平台的推送结果互相矛盾', "The platform's pushes contradict each other"],
    PUSH_QUERY_MISMATCH: ['推送结果与查询结果不一致', 'The push and the query disagree'],
    CASH_AMOUNT_MISMATCH: ['第三方支付金额与个人现金支付金额不符', 'The channel amount differs from the cash part'],
    CASH_AMOUNT_MISSING: ['结果缺少第三方支付金额', 'The third-party amount is absent'],
    YBPAY_WITH_CASH: ['医保支付渠道却有现金部分', 'Channel ybpay, yet a cash part'],
    MEDFEE_MISMATCH: ['结算的医疗费总额与下单金额不符', "The settled total differs from the order's"],
    TOTALEXPENSE_MISMATCH: ['五期结算的费用总额与账单不符', 'The 五期 settled total differs from the bill'],
    SETLINFO_INCONSISTENT: ['结算信息各项之和不等于医疗费总额', "The settlement's parts do not add up to its total"],
    SUM_RULE_BROKEN: ['五期费用各项之和不等于总额', 'The 五期 terms do not add up to the total'],
    UNREADABLE_AMOUNT: ['金额无法读取', 'An amount could not be read'],
    NO_SETLINFO: ['已支付的结果缺少结算信息（setlinfo）', 'A paid result without setlinfo'],
    NO_PAYRESPONSE: ['已支付的五期结果缺少结算信息', 'A paid 五期 result without its settlement'],
    ECTOKEN_MISMATCH: ['结果属于另一个电子凭证令牌（ecToken）', 'The result is for another ecToken'],
    FOREIGN_ORDER: ['平台结果指向本院的另一订单', 'The result names another of our orders'],
    SETL_CLAIM_UNAVAILABLE: ['暂时无法登记此结算号（setl_id），不能确认它只属于本订单', 'The setl_id could not be claimed for this order'],
    SETL_ID_HELD_BY_OTHER_ORDER: ['此结算号（setl_id）已属于另一订单', 'The setl_id belongs to another order'],
    LATE_RESULT_AFTER_FAILED: ['订单已判定失败后，平台又报告已支付：请核对是否需要退款', 'The platform reports a payment after the order failed'],
    SE02_NOT_RECEIVED: ['平台从未收到此订单，电子凭证已不能结算', 'The platform never showed this order; the e-voucher can no longer settle'],
    SE02_REJECTED: ['平台拒绝下单（SE02）', 'The platform refused the order (SE02)'],
    SE02_INVALID: ['平台的下单应答无效（SE02）', "The platform's SE02 answer was invalid"],
    SE01_FAILED: ['电子凭证解码失败（SE01）', 'The e-voucher could not be decoded (SE01)'],
    SM01_FAILED: ['账户查询失败（SM01）', 'The account query failed (SM01)'],
    PAY_FAILED: ['平台报告支付失败', 'The platform reports the payment failed'],
    POLL_FAILED: ['查询平台结果失败', 'Polling the platform failed'],
    IDENTITY_MISMATCH: ['姓名或证件号与电子凭证不符', 'The name or ID number does not match the e-voucher'],
    IDENTITY_UNAVAILABLE: ['暂时无法核验身份', 'The identity could not be checked'],
    ECTOKEN_IN_USE: ['此电子凭证已用于另一订单', 'The e-voucher already belongs to another order'],
    ACCOUNTATTR_INVALID: ['账户属性无效', 'The account attribute is invalid'],
    SAME_PERSON_UNPROVEN: ['无法证明新的电子凭证属于付款人（原结算无卡号）', "No card number to prove the fresh e-voucher is the payer's"],
    PERSON_MISMATCH: ['新的电子凭证不属于付款人（卡号不同）', "The fresh e-voucher is not the payer's"],
    INSUPLC_ADMDVS_REQUIRED: ['缺少参保地医保区划', 'insuplc_admdvs is required'],
    PERSON_INFO_DEFAULT: ['参保地取自默认配置（1101 未能查明）', 'insuplc_admdvs is the configured default (1101 could not tell)'],
    // the inbox
    UNKNOWN_ECTOKEN: ['推送的电子凭证令牌（ecToken）找不到对应订单', "No order holds the push's ecToken"],
    ORDER_CLOSED: ['推送到达时订单已结束', 'The push arrived after its order closed'],
    // refunds
    CASH_REFUND_NOT_SEEN: ['医保部分已退，现金部分未见退款（可申请 SE07 现金改账）', 'The insurance part is refunded; the cash refund was never seen'],
    CASH_REFUND_FAILED: ['现金改账后现金部分仍退款失败，医保部分已退：请重新申请退款', 'The cash part failed after the SE07 remedy; request the refund again'],
    CASH_REFUND_AMOUNT_MISMATCH: ['现金退款金额与支付金额不符', 'The cash refunded differs from the cash paid'],
    REVERSAL_UNCONFIRMED: ['医保退款结果未知，已发冲正（2601），冲正结果未确认', 'A reversal (2601) was sent for an unknown refund and is not confirmed'],
    INSURANCE_REFUND_UNKNOWN: ['医保退款（2208 / SK01）结果未知', "The insurance refund's outcome is unknown"],
    INSURANCE_REFUND_REJECTED: ['中心拒绝医保退款', 'The centre refused the insurance refund'],
    INSURANCE_OUTPUT_MISSING: ['未保存医保退款应答，金额取自原结算', 'No refund answer kept: amounts from the settlement'],
    ECTOKEN_REFUSED: ['中心拒绝电子凭证令牌，未退款：请患者出示新的电子凭证后重新申请退款', 'The centre refused the e-voucher token; nothing was refunded'],
    FRESH_VOUCHER_REFUSED: ['新的电子凭证不属于付款人，未使用', "The fresh e-voucher is not the payer's"],
    FRESH_VOUCHER_UNCHECKED: ['无法核验新的电子凭证', 'The fresh e-voucher could not be checked'],
    SE07_REJECTED: ['现金改账（SE07）被拒绝', 'The SE07 remedy was refused'],
    REMEDY_REFUSED: ['现金改账（SE07）被拒绝', 'The SE07 remedy was refused'],
    FAILED_AFTER_REMEDY: ['现金改账后现金部分仍失败', 'The cash part failed after the remedy'],
    REFUND_WORKFLOW_FAILED: ['退款流程异常中止，请重新申请退款', 'The refund workflow failed'],
  };

  var STATUSES = {
    PROCESSING: '处理中',
    PAID: '已支付',
    FAILED: '失败',
    NEEDS_REVIEW: '待复核',
    REFUNDING: '退款中',
    REFUNDED: '已退款',
    REFUND_FAILED: '退款失败',
    INSURANCE_REFUNDING: '医保退款中',
    CASH_REFUNDING: '现金退款中',
  };

  /**
   * { zh, en, code, detail } for a reason text. zh is the Chinese sentence; en the English sentence and the
   * original detail. Unknown codes keep their text (a new code shows as itself, never as nothing).
   */
  function reason(text) {
    var t = String(text || '').trim();
    if (!t) return { zh: '', en: '', code: '', detail: '' };
    var refund = /^refund: /.test(t);
    if (refund) t = t.slice('refund: '.length);
    var r = phrase(t) || coded(t);
    if (refund) r.zh = '退款：' + r.zh;
    return r;
  }
  function phrase(t) {
    var by = /^by (push|poll|query)$/.exec(t);
    if (by) return { zh: by[1] === 'push' ? '平台推送确认支付' : '查询平台确认支付', en: t, code: '', detail: '' };
    var resolved = /^resolved by (.+?): ([\s\S]*)$/.exec(t);
    if (resolved) return { zh: '由 ' + resolved[1] + ' 人工处理：' + resolved[2], en: 'resolved by ' + resolved[1], code: '', detail: '' };
    return undefined;
  }
  function coded(t) {
    var m = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?::\s*|\s+|$)([\s\S]*)$/.exec(t);
    var entry = m && REASONS[m[1]];
    if (!entry) return { zh: m ? '原因代码 ' + m[1] : t, en: t, code: m ? m[1] : '', detail: m ? m[2] : '' };
    return { zh: entry[0] + nestedZh(m[2]), en: m[1] + ' · ' + entry[1] + (m[2] ? ' — ' + m[2] : ''), code: m[1], detail: m[2] };
  }
  /** A known code inside the detail (PUSH_UNCONFIRMED: push: CASH_AMOUNT_MISMATCH: …) is what the clerk checks: said too. */
  function nestedZh(detail) {
    var codes = String(detail).match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) || [];
    for (var i = 0; i < codes.length; i++) if (REASONS[codes[i]]) return '（' + REASONS[codes[i]][0] + '）';
    return '';
  }

  function status(code) {
    return STATUSES[code] || code || '';
  }

  var TIME = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  /** An instant (ISO text) as yyyy-MM-dd HH:mm:ss in Shanghai, the platform's and the clerk's clock. */
  function shanghaiTime(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    var p = {};
    TIME.formatToParts(d).forEach(function (x) {
      p[x.type] = x.value;
    });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second;
  }

  var api = { REASONS: REASONS, STATUSES: STATUSES, reason: reason, status: status, shanghaiTime: shanghaiTime };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.shybMessages = api;
})(typeof window !== 'undefined' ? window : globalThis);
