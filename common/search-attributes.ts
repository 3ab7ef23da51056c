import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Finance's view of a settlement in the Temporal UI. No personal data here: visibility is not encrypted.
export const OrderNoKey = defineSearchAttributeKey('OrderNo', SearchAttributeType.KEYWORD);
export const EcTokenKey = defineSearchAttributeKey('EcToken', SearchAttributeType.KEYWORD);
export const SettlementStatusKey = defineSearchAttributeKey('SettlementStatus', SearchAttributeType.KEYWORD);
export const RouteKey = defineSearchAttributeKey('Route', SearchAttributeType.KEYWORD);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const SettledAtKey = defineSearchAttributeKey('SettledAt', SearchAttributeType.DATETIME);
export const CashAmountKey = defineSearchAttributeKey('CashAmount', SearchAttributeType.DOUBLE);

export const ALL_SEARCH_ATTRIBUTES = [OrderNoKey, EcTokenKey, SettlementStatusKey, RouteKey, ChannelKey, SettledAtKey, CashAmountKey];

const CLI_TYPES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.DOUBLE]: 'Double',
};

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export function searchAttributeArgs(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPES[k.type]}`]);
}
