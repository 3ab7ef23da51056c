/** The Temporal header that carries the HTTP X-Request-Id from the API's start call to the activities. */
export const REQUEST_ID_HEADER = 'shyb-request-id';
