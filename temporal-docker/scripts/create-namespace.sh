#!/bin/sh
# One-shot: the orders' namespace with shyb-pay's search attributes (keep in step with
# common/search-attributes.ts), and the claims namespace beside it (TEMPORAL_CLAIM_NAMESPACE).
# Used by compose (temporal-namespace service) and by `npm run cluster` (scripts/cluster.ts).
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}"
# the configuration's default (common/config.ts): <TEMPORAL_NAMESPACE>-claims
CLAIM_NAMESPACE="${CLAIM_NAMESPACE:-${NAMESPACE}-claims}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 1; done
# Claims hold their keys 40 days running (activities/claim-activities.ts), then closed for the retention:
# an order's refund window is 30 days, so a key can never be claimed again while its order lives.
for ns in "$NAMESPACE" "$CLAIM_NAMESPACE"; do
  temporal operator namespace describe -n "$ns" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
    || temporal operator namespace create -n "$ns" --retention 90d --address "$TEMPORAL_ADDRESS"
done
# the claims namespace needs none: a claim is its workflow ID and its memo
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
# a fresh namespace takes a few seconds to reach every frontend's cache: wait until the claims one answers
tries=0
until temporal workflow list --namespace "$CLAIM_NAMESPACE" --address "$TEMPORAL_ADDRESS" --limit 1 >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -gt 30 ] && { echo "namespace $CLAIM_NAMESPACE does not answer" >&2; exit 1; }
  sleep 2
done
echo "namespaces $NAMESPACE and $CLAIM_NAMESPACE ready"
