// Holds the orderNo an idempotency key was first used for: Temporal's workflow-ID uniqueness makes
// the key → orderNo binding race-free across API processes.
export interface OrderKeyInput {
  orderNo: string;
  requestHash: string;
}

export async function orderKey(input: OrderKeyInput): Promise<OrderKeyInput> {
  return input;
}
