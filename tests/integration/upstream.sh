#!/usr/bin/env bash
# home-manager's own test modules run under hmt unchanged, straight from
# <home-manager>:
# - tests/modules/systemd;
# - tests/modules/services-modular with this project's home.services in
#   place of home-manager's own, configData moved to upstream's folder
#   (home.serviceManager.configDataFolder = "home-services") and
#   system-only directives kept as the service modules set them
#   (home.serviceManager.systemOnlySettings = "keep", upstream's
#   behaviour): basic, ghostunnel and php-fpm (a unit with ExecReload, so
#   reloaded) pass with those; configdata expects reload triggers on a unit
#   that cannot reload, which hmt's module only writes when told to reload
#   (onConfigDataChange = "reload", upstream's behaviour), so it fails
#   without that setting, on that assertion only, and passes with it.
#   Without "keep", ghostunnel fails on its unit's DynamicUser= and
#   AmbientCapabilities= (adapted) and on the warning that says so.
source "$(dirname "$0")/common.sh"
require_nix_path

home_manager=$(home_manager_path)
folder="$home_manager/tests/modules/systemd"
[ -f "$folder/default.nix" ] || skip "this home-manager has no tests/modules/systemd"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_cache \"$work\"
cases=$("$hmt" --no-default-cases --cases "$folder" --list | wc -l)
[ "$cases" -gt 0 ] || fail "no cases listed in $folder"
"$hmt" --option substituters '' --no-default-cases --cases "$folder" --tap-version 14 >"$work/tap" 2>&1 \
  || { cat "$work/tap"; fail "upstream systemd tests failed under hmt"; }
[ "$(grep -c '^ok ' "$work/tap")" -eq "$cases" ] || { cat "$work/tap"; fail "expected $cases ok"; }
echo "PASS: $cases upstream home-manager systemd tests"

modular="$home_manager/tests/modules/services-modular"
if [ ! -f "$modular/default.nix" ]; then
  echo "NOTE: this home-manager has no tests/modules/services-modular; only its systemd tests ran"
  exit 0
fi

cat >"$work/upstream-folder.nix" <<'NIX'
{ home.serviceManager.configDataFolder = "home-services"; }
NIX
cat >"$work/upstream-reload.nix" <<'NIX'
{ home.serviceManager.onConfigDataChange = "reload"; }
NIX
cat >"$work/upstream-keep.nix" <<'NIX'
{ home.serviceManager.systemOnlySettings = "keep"; }
NIX

# run_modular OUTPUT MODULE...: the services-modular tests with hmt's
# home.services and the given settings; hmt's exit status.
run_modular() {
  local output=$1 module_args=(--module "$source_root/modules")
  shift
  for module in "$@"; do module_args+=(--module "$module"); done
  set +e
  "$hmt" --option substituters '' --no-default-cases --cases "$modular" "${module_args[@]}" >"$output" 2>&1
  local status=$?
  set -e
  return $status
}

for name in basic configdata ghostunnel php-fpm; do
  grep -q "home-services-$name" "$modular/default.nix" || fail "services-modular has no $name test"
done

run_modular "$work/folder" "$work/upstream-folder.nix" "$work/upstream-keep.nix" \
  && { cat "$work/folder"; fail "configdata should fail without reload"; }
for name in basic ghostunnel php-fpm; do
  grep -q "^ok [0-9]* - home-services-$name\$" "$work/folder" \
    || { cat "$work/folder"; fail "upstream $name failed with the folder and keep options"; }
done
grep -q '^not ok [0-9]* - home-services-configdata$' "$work/folder" || { cat "$work/folder"; fail "configdata not reported"; }
grep -q 'message: "1 of [0-9]* assertions failed"' "$work/folder" \
  && grep -q "to contain 'X-Reload-Triggers=/nix/store/'" "$work/folder" \
  || { cat "$work/folder"; fail "configdata should fail on its reload trigger only"; }

run_modular "$work/reload" "$work/upstream-folder.nix" "$work/upstream-keep.nix" "$work/upstream-reload.nix" \
  || { cat "$work/reload"; fail "upstream services-modular tests failed with folder, keep and reload"; }
total=$(grep -c '^ok ' "$work/reload")
[ "$total" -ge 4 ] || { cat "$work/reload"; fail "expected at least 4 ok"; }

# Without "keep": only ghostunnel fails, on its adapted unit and the
# warning about it (its expected unit has DynamicUser=true).
run_modular "$work/adapt" "$work/upstream-folder.nix" "$work/upstream-reload.nix" \
  && { cat "$work/adapt"; fail "ghostunnel should fail with its system-only directives adapted"; }
grep -q '^not ok [0-9]* - home-services-ghostunnel$' "$work/adapt" || { cat "$work/adapt"; fail "ghostunnel not reported"; }
[ "$(grep -c '^ok ' "$work/adapt")" -eq $((total - 1)) ] || { cat "$work/adapt"; fail "only ghostunnel should fail without keep"; }
grep -q '^ *+DynamicUser=true$' "$work/adapt" && grep -q '^ *+AmbientCapabilities=CAP_NET_BIND_SERVICE$' "$work/adapt" \
  && grep -q 'systemOnlySettings = "keep"' "$work/adapt" \
  || { cat "$work/adapt"; fail "ghostunnel should fail on DynamicUser=, AmbientCapabilities= and the warning"; }
echo "PASS: upstream services-modular: basic, ghostunnel, php-fpm with configDataFolder and systemOnlySettings = keep; all $total with onConfigDataChange = reload too; ghostunnel fails without keep, on the adapted directives"
