/**
 * What the service refuses, with the API's stable problem code (api/problem.ts turns them into
 * RFC 9457 answers). The service itself knows nothing of HTTP.
 */
export class NotFound extends Error {
  constructor(
    message: string,
    readonly code = 'ORDER_NOT_FOUND',
  ) {
    super(message);
  }
}

export class Conflict extends Error {
  /** orderNo: the order that holds what was asked for (e.g. the ecToken), when there is one. */
  constructor(
    message: string,
    readonly code: string,
    readonly orderNo?: string,
  ) {
    super(message);
  }
}
