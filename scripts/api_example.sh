#!/usr/bin/env bash
# The API with nothing but curl (and jq) and a personal access token:
# list my assessments, read a pre-scan section with its version, change one answer and put
# the section back (If-Match), see a stale write refused (412), make and download the report.
#
#   TOKEN=pia_... API=http://127.0.0.1:5000/api/v1 bash scripts/api_example.sh
set -euo pipefail
: "${TOKEN:?set TOKEN to a personal access token (Account > API-tokens)}"
API=${API:-http://127.0.0.1:5000/api/v1}
auth=(-H "Authorization: Bearer $TOKEN")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "1. Mijn assessments in concept:"
curl -sS --fail-with-body "${auth[@]}" "$API/assessments?status=concept" >"$work/list.json"
jq -r '._embedded.assessments[] | "   \(.id)  \(.titel)"' "$work/list.json"
id=${ASSESSMENT_ID:-$(jq -r '._embedded.assessments[0].id' "$work/list.json")}

echo "2. Pre-scan, onderdeel 1 van assessment $id:"
curl -sS --fail-with-body -D "$work/headers" "${auth[@]}" \
  "$API/assessments/$id/secties/prescan/1" >"$work/section.json"
etag=$(grep -i '^etag:' "$work/headers" | tr -d '\r' | cut -d' ' -f2-)
echo "   versie (ETag): $etag"

echo "3. Eén antwoord wijzigen en de hele sectie terugzetten met If-Match:"
jq '{antwoorden: (.antwoorden + {"1.1.3": "Naam, adres en e-mailadres."})}' \
  "$work/section.json" >"$work/put.json"
curl -sS --fail-with-body -D "$work/put-headers" -X PUT "${auth[@]}" -H "If-Match: $etag" \
  -H 'Content-Type: application/json' -d @"$work/put.json" \
  "$API/assessments/$id/secties/prescan/1" >"$work/saved.json"
echo "   opgeslagen: 1.1.3 = $(jq -r '.antwoorden["1.1.3"]' "$work/saved.json")," \
  "nieuwe versie $(grep -i '^etag:' "$work/put-headers" | tr -d '\r' | cut -d' ' -f2-)"

echo "4. Nogmaals met de oude versie: geweigerd, er wordt niets overschreven:"
status=$(curl -sS -o "$work/stale.json" -w '%{http_code}' -X PUT "${auth[@]}" \
  -H "If-Match: $etag" -H 'Content-Type: application/json' -d @"$work/put.json" \
  "$API/assessments/$id/secties/prescan/1")
echo "   HTTP $status: $(jq -r '.detail // .title' "$work/stale.json")"
[ "$status" = 412 ]

echo "5. Het DPIA-rapport maken en downloaden:"
curl -sS --fail-with-body -X POST "${auth[@]}" \
  "$API/assessments/$id/documenten/dpia-rapport" >"$work/made.json"
curl -sS --fail-with-body "${auth[@]}" -o "${REPORT:-rapport.docx}" \
  "$API/assessments/$id/documenten/dpia-rapport"
echo "   $(jq -r .bestandsnaam "$work/made.json") opgeslagen als ${REPORT:-rapport.docx}" \
  "($(wc -c <"${REPORT:-rapport.docx}") bytes)"
