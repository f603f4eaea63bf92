#!/usr/bin/env bash
# The Kamiina pact (上伊那広域連携) end to end with the admin CLI and three real nodes on loopback:
#   node init -> export cards -> draft -> signatures -> merge -> verify -> submit -> list,
# first as 伊那市 and 南箕輪村 signed it (2024), then the amendment by which 箕輪町 joined (2025).
#
# Run from anywhere after `mvn -B -q package -DskipTests` at the repository root:
#   config-examples/kamiina/setup-agreement.sh            # stops the nodes at the end
#   config-examples/kamiina/setup-agreement.sh --keep-running
# Identities and data go to data/ and agreement files to agreements/ beside this script.
# TSUNAGU_HOME names the repository root when this folder was copied elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="${TSUNAGU_HOME:-$here/../..}"
admin_jar="$home/admin-cli/target/tsunagu-admin.jar"
node_jar="$home/node/target/tsunagu-node.jar"
keep_running=false
[[ "${1:-}" == "--keep-running" ]] && keep_running=true

for jar in "$admin_jar" "$node_jar"; do
  [[ -f "$jar" ]] || { echo "error: $jar is missing; run 'mvn -B -q package -DskipTests' first" >&2; exit 2; }
done

cd "$here"
admin() { java -jar "$admin_jar" "$@"; }
title='上伊那地域在宅医療・介護連携に関する広域連携協定'
nodes=(ina minamiminowa minowa)
declare -A code=([ina]=202096 [minamiminowa]=203858 [minowa]=203831)
declare -A display=([ina]='モバイルクリニック・いーな電子連絡帳' [minamiminowa]='まっくん電子連絡帳' [minowa]='箕輪町電子連絡帳')
# Ports as in the node configs beside this script.
declare -A federation_port=([ina]=20444 [minamiminowa]=21444 [minowa]=22444)
declare -A admin_port=([ina]=20080 [minamiminowa]=21080 [minowa]=22080)
mkdir -p agreements data

echo "== 1. each municipality creates its node identity (offline) and exports its card"
for n in "${nodes[@]}"; do
  if [[ ! -f "data/$n/identity/node.json" ]]; then
    admin node init --dir "data/$n/identity" --name "$n" --municipality "${code[$n]}" \
      --endpoint "https://127.0.0.1:${federation_port[$n]}" --display-name "${display[$n]}"
  fi
  admin node export-card --dir "data/$n/identity" --out "agreements/$n.card.json"
done

# The real pact began in July 2024 and 箕輪町 joined in April 2025. The example dates the two
# versions relative to today (version 1 well in the past, the amendment recently), so that the
# story replays the same way whenever the script runs instead of expiring with the real dates.
v1_from=$(date -u -d '-400 days' +%F)
v2_from=$(date -u -d '-30 days' +%F)

echo "== 2. 伊那市 and 南箕輪村 draft, sign separately, merge and verify version 1 (from $v1_from)"
admin agreement draft --id kamiina --title "$title" --card agreements/ina.card.json \
  --card agreements/minamiminowa.card.json --scope care-team,resources-directory,emergency-access \
  --valid-days 1095 --not-before "$v1_from" --retention-days 180 --out agreements/kamiina-v1.draft.json
admin agreement sign --identity data/ina/identity --out agreements/kamiina-v1.ina.json agreements/kamiina-v1.draft.json
admin agreement sign --identity data/minamiminowa/identity --out agreements/kamiina-v1.minamiminowa.json \
  agreements/kamiina-v1.draft.json
admin agreement merge --out agreements/kamiina-v1.json agreements/kamiina-v1.ina.json \
  agreements/kamiina-v1.minamiminowa.json
admin agreement verify agreements/kamiina-v1.json

echo "== 3. the amendment by which 箕輪町 joins, signed by all three (from $v2_from)"
admin agreement draft --replaces agreements/kamiina-v1.json --title "$title" --card agreements/ina.card.json \
  --card agreements/minamiminowa.card.json --card agreements/minowa.card.json --scope care-team,resources-directory,emergency-access \
  --valid-days 1095 --not-before "$v2_from" --out agreements/kamiina-v2.draft.json
for n in "${nodes[@]}"; do
  admin agreement sign --identity "data/$n/identity" --out "agreements/kamiina-v2.$n.json" agreements/kamiina-v2.draft.json
done
admin agreement merge --out agreements/kamiina-v2.json agreements/kamiina-v2.ina.json \
  agreements/kamiina-v2.minamiminowa.json agreements/kamiina-v2.minowa.json
admin agreement verify --predecessor agreements/kamiina-v1.json agreements/kamiina-v2.json

echo "== 4. start the three nodes"
pids=()
stop_nodes() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
$keep_running || trap stop_nodes EXIT
for n in "${nodes[@]}"; do
  java -jar "$node_jar" serve --config "$n.json" > "data/$n.log" 2>&1 &
  pids+=("$!")
done
for n in "${nodes[@]}"; do
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:${admin_port[$n]}/health/ready" > /dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:${admin_port[$n]}/health/ready" > /dev/null || { echo "error: $n did not start, see data/$n.log" >&2; exit 1; }
done

echo "== 5. submit: version 1 to its two parties, then the amendment to all three"
for n in ina minamiminowa; do
  admin agreement submit --node "http://127.0.0.1:${admin_port[$n]}" --token-file "data/$n/admin-token" agreements/kamiina-v1.json
done
for n in "${nodes[@]}"; do
  admin agreement submit --node "http://127.0.0.1:${admin_port[$n]}" --token-file "data/$n/admin-token" agreements/kamiina-v2.json
done

echo "== 6. what the nodes hold, and whether they reach each other over mutual TLS"
for n in "${nodes[@]}"; do
  echo "-- $n"
  admin agreement list --node "http://127.0.0.1:${admin_port[$n]}" --token-file "data/$n/admin-token"
done
admin peers status --node "http://127.0.0.1:${admin_port[ina]}" --token-file data/ina/admin-token
echo "-- 伊那市 pulls its partners' published resources now (resources-directory) instead of in 10 minutes"
admin partner-resources sync --node "http://127.0.0.1:${admin_port[ina]}" --token-file data/ina/admin-token

if $keep_running; then
  echo "nodes running (pids ${pids[*]}); stop them with: kill ${pids[*]}"
fi
