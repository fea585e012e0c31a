# tests/blackbox/tokens.sh - tokens and advertisers managed by smartplusd's
# commands, on the database of a running server: a token with the report
# scope only, an advertiser that is not allowlisted, a token for two
# advertisers that cannot see each other's objects, and revocation.
. "$(dirname "$0")/lib.sh"
start_server
SPD="$BIN_DIR/smartplusd"

OTHER=$("$SPD" advertiser add --db "$DB" --id 7000000000000000042 --name other | sed -n 's/^advertiser_id: //p')
CLOSED=$("$SPD" advertiser add --db "$DB" --id 7000000000000000043 --not-allowlisted | sed -n 's/^advertiser_id: //p')
check "advertiser add prints the id" [ "$OTHER" = 7000000000000000042 ]
REPORT=$("$SPD" token add --db "$DB" --advertiser "$ADV" --scopes report | sed -n 's/^access_token: //p')
TWO=$("$SPD" token add --db "$DB" --advertiser "$OTHER,$CLOSED" --token two-advertisers | sed -n 's/^access_token: //p')
check "token add prints a generated token" [ ${#REPORT} = 40 ]
check "token add takes a fixed token" [ "$TWO" = two-advertisers ]

body() { echo "{\"advertiser_id\":\"$1\",\"campaign_name\":\"t\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}"; }
as() { curl -s -X POST "${BASE}smart_plus/campaign/create/" -H "Access-Token: $1" --data-binary "$2"; }

r=$(as "$REPORT" "$(body "$ADV")")
check "a report-only token cannot create (40130)" grep -q '"code":40130' <<<"$r"
r=$(as "$TWO" "$(body "$CLOSED")")
check "an advertiser not allowlisted is refused (40118)" grep -q '"code":40118' <<<"$r"
r=$(as "$TWO" "$(body "$ADV")")
check "an advertiser outside the token is refused (40001)" grep -q '"code":40001' <<<"$r"
r=$(as "$TWO" "$(body "$OTHER")")
check "the token's own advertiser works" grep -q '"code":0' <<<"$r"
mine=$(as "$TOKEN" "$(body "$ADV")" | sed -n 's/.*"campaign_id":"\([0-9]*\)".*/\1/p')
r=$(curl -s -X POST "${BASE}smart_plus/campaign/update/" -H "Access-Token: $TWO" \
  --data-binary "{\"advertiser_id\":\"$OTHER\",\"campaign_id\":\"$mine\",\"budget\":999}")
check "another advertiser's campaign id is 'does not exist' (40007)" grep -q '"code":40007' <<<"$r"

"$SPD" token revoke "$TWO" --db "$DB"
sleep 1.2 # grants are trusted for one second
r=$(as "$TWO" "$(body "$OTHER")")
check "a revoked token is refused (40105)" grep -q '"code":40105' <<<"$r"
r=$(as "nonsense" "$(body "$ADV")")
check "an unknown token is refused (40105)" grep -q '"code":40105' <<<"$r"
