#!/usr/bin/env bash
# The Aichi wide-area pact (あいち広域連携): 29 nodes covering 48 municipalities. Creates each node's
# identity (offline), exports the 29 cards, drafts the 29-party agreement, has every party sign its own
# copy, merges the signatures and verifies the result.
#
# Run after `mvn -B -q package -DskipTests` at the repository root:
#   config-examples/aichi-wide-area/draft-agreement.sh
# Identities go to data/<node>/identity (where nodes/<node>.json expects them) and files to agreements/.
# TSUNAGU_HOME names the repository root when this folder was copied elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="${TSUNAGU_HOME:-$here/../..}"
admin_jar="$home/admin-cli/target/tsunagu-admin.jar"
[[ -f "$admin_jar" ]] || { echo "error: $admin_jar is missing; run 'mvn -B -q package -DskipTests' first" >&2; exit 2; }
cd "$here"
admin() { java -jar "$admin_jar" "$@"; }
mkdir -p agreements data

cards=()
while IFS='|' read -r node codes display port; do
  [[ -z "$node" || "$node" == \#* ]] && continue
  if [[ ! -f "data/$node/identity/node.json" ]]; then
    admin node init --dir "data/$node/identity" --name "$node" --municipality "$codes" \
      --endpoint "https://127.0.0.1:$port" --display-name "$display" > /dev/null
  fi
  admin node export-card --dir "data/$node/identity" --out "agreements/$node.card.json" > /dev/null
  cards+=(--card "agreements/$node.card.json")
done < nodes.txt
echo "${#cards[@]} card options for $(( ${#cards[@]} / 2 )) nodes"

admin agreement draft --id aichi-wide-area --title 'あいち在宅医療・介護連携広域連携協定' "${cards[@]}" \
  --scope care-team,resources-directory --valid-days 1095 --amendment-rule threshold:20 \
  --out agreements/aichi.draft.json

signed=()
while IFS='|' read -r node _ _ _; do
  [[ -z "$node" || "$node" == \#* ]] && continue
  admin agreement sign --identity "data/$node/identity" --out "agreements/aichi.$node.json" agreements/aichi.draft.json > /dev/null
  signed+=("agreements/aichi.$node.json")
done < nodes.txt

admin agreement merge --out agreements/aichi.json "${signed[@]}"
admin agreement verify agreements/aichi.json
