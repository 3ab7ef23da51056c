/** Who acted, as every resolve, remedy and match records it: the operator, and the API key's name beside it. */
export const operatorLabel = (operator: string, by?: string): string => (by ? `${operator} (key ${by})` : operator);
