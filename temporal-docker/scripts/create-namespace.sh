#!/bin/sh
# One-shot: the namespace and shyb-pay's search attributes (keep in step with common/search-attributes.ts).
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do sleep 2; done
temporal operator namespace describe -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
  || temporal operator namespace create -n "$NAMESPACE" --retention 90d --address "$TEMPORAL_ADDRESS"
for sa in OrderNo=Keyword EcToken=Keyword SettlementStatus=Keyword Route=Keyword Channel=Keyword SettledAt=Datetime CashAmount=Double; do
  temporal operator search-attribute create --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
    --name "${sa%%=*}" --type "${sa#*=}" || true
done
