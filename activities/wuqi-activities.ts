// The 五期 route's platform calls live in routes/wuqi/activities.ts; the names here stay for the modules that import them.
export {
  checkWuqiRefundVoucher,
  queryWuqiPay,
  queryWuqiRefund,
  refundWuqiInsurance,
  submitWuqiSe02,
  submitWuqiSe07,
  wuqiOperator,
} from '../routes/wuqi/activities';
