#!/bin/sh
# One-shot: the namespace and shyb-pay's search attributes (keep in step with common/search-attributes.ts).
# Used by compose (temporal-namespace service) and by `npm run cluster` (scripts/cluster.ts).
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 1; done
temporal operator namespace describe -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$NAMESPACE" --retention 90d --address "$TEMPORAL_ADDRESS"
for sa in OrderNo=Keyword EcToken=Keyword SettlementStatus=Keyword Route=Keyword Channel=Keyword SettledAt=Datetime CashAmount=Double; do
  name="${sa%%=*}"
  # a fresh namespace takes a few seconds to reach every frontend's cache: retry until listed
  tries=0
  until temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" 2>/dev/null | grep -qw "$name"; do
    tries=$((tries + 1))
    [ "$tries" -gt 30 ] && { echo "search attribute $name could not be created" >&2; exit 1; }
    temporal operator search-attribute create --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
      --name "$name" --type "${sa#*=}" >/dev/null 2>&1 || sleep 2
  done
done
echo "namespace $NAMESPACE ready"
