#!/usr/bin/env bash
# Sends one metric update to a Trellis metric webhook, signed per Standard Webhooks: for cron, CI or any
# shell. Needs bash, curl and openssl.
#
#   TRELLIS_HOOK_URL=https://okr.example.com/v1/hooks/hk_... \
#   TRELLIS_HOOK_SECRET=whsec_... \
#   ./cron-push.sh VALUE [COMMENT] [MILESTONE_ID]
#
# MILESTONE_ID is needed by an unbound webhook only. TRELLIS_HOOK_ACTION=add adds VALUE instead of setting
# it. A crontab line that pushes the number of open tickets every hour:
#
#   0 * * * *  TRELLIS_HOOK_URL=... TRELLIS_HOOK_SECRET=... /opt/trellis/cron-push.sh "$(count-open-tickets)"
#
# Exits 0 when the check-in was made; otherwise prints the server's answer (code, description, request id)
# on stderr and exits 1. The secret is never printed.
set -euo pipefail

usage() { echo "usage: TRELLIS_HOOK_URL=... TRELLIS_HOOK_SECRET=whsec_... $0 VALUE [COMMENT] [MILESTONE_ID]" >&2; exit 2; }
[ $# -ge 1 ] || usage
: "${TRELLIS_HOOK_URL:?set TRELLIS_HOOK_URL to the webhook URL (https://host/v1/hooks/hk_...)}"
: "${TRELLIS_HOOK_SECRET:?set TRELLIS_HOOK_SECRET to the signing secret (whsec_...)}"

value=$1
comment=${2:-}
milestone=${3:-}
action=${TRELLIS_HOOK_ACTION:-set}
[[ $value =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || { echo "$0: VALUE must be a number, got \"$value\"" >&2; exit 2; }
[[ -z $milestone || $milestone =~ ^[0-9]+$ ]] || { echo "$0: MILESTONE_ID must be a number" >&2; exit 2; }

# JSON string escaping for the comment: backslashes, quotes, and control characters as spaces.
json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=$(printf %s "$s" | tr '\000-\037' ' ')
  printf '"%s"' "$s"
}

body="{\"action\":\"$action\",\"value\":$value"
[ -n "$comment" ] && body+=",\"comment\":$(json_string "$comment")"
[ -n "$milestone" ] && body+=",\"milestone_id\":$milestone"
body+="}"

id="msg_$(openssl rand -hex 16)"
ts=$(date +%s)
# The key is the base64-decoded part of the secret after "whsec_", passed to openssl as hex.
key=$(printf %s "${TRELLIS_HOOK_SECRET#whsec_}" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
sig=$(printf %s "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | openssl base64 -A)

answer=$(mktemp)
trap 'rm -f "$answer"' EXIT
status=$(curl -sS -o "$answer" -w '%{http_code}' -X POST "$TRELLIS_HOOK_URL" \
  -H 'content-type: application/json' \
  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" \
  --data-binary "$body") || { echo "$0: could not reach the server" >&2; exit 1; }

if [ "${status:0:1}" = 2 ]; then
  echo "checked in: $body"
else
  echo "$0: refused (HTTP $status): $(cat "$answer")" >&2
  exit 1
fi
