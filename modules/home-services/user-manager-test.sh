#!/usr/bin/env bash
# Runs a runtime compliance test (./compliance.nix, mkTest): starts a
# systemd user manager of its own on UNIT_DIR (a generation's
# home-files/.config/systemd/user), lets default.target start the services,
# runs TEST_EXE, and stops everything.
#
#   user-manager-test.sh UNIT_DIR SHARED_DIR TEST_EXE
#
# A user manager refuses to start unless /run/systemd/system exists (the
# sign of a machine booted with systemd), which a container lacks; so it
# runs in a mount namespace with a private /run holding that folder, and in
# a PID namespace, so that nothing it started outlives the test. That needs
# root. Exit status: TEST_EXE's, or 77 with `SKIP: <reason>` where no user
# manager can run here.
set -euo pipefail

units=$1
shared=$2
test_exe=$3

skip() {
  echo "SKIP: $*"
  exit 77
}

systemd_binary=""
for candidate in /lib/systemd/systemd /usr/lib/systemd/systemd; do
  [ -x "$candidate" ] && { systemd_binary=$candidate; break; }
done
[ -n "$systemd_binary" ] || skip "no systemd binary (Debian package systemd) to run a user manager"
command -v systemctl >/dev/null || skip "systemctl is not on PATH (Debian package systemd)"

if [ "${HMT_USER_MANAGER_NAMESPACE:-}" != 1 ]; then
  [ "$(id -u)" -eq 0 ] || skip "needs root: the user manager runs in mount and PID namespaces of its own (unshare)"
  command -v unshare >/dev/null || skip "unshare is not on PATH (Debian package util-linux)"
  probe=$(unshare --mount --pid --fork --mount-proc true 2>&1) \
    || skip "cannot create mount and PID namespaces: $probe"
  set +e
  HMT_USER_MANAGER_NAMESPACE=1 unshare --mount --pid --fork --mount-proc --propagation private \
    bash "$0" "$@"
  exit $?
fi

# From here on: PID 1 of a namespace of our own.
mount -t tmpfs -o mode=0755 hmt-run /run
mkdir -p /run/systemd/system

work=$(mktemp -d)
manager=""
# Stops the manager (and with it the services) before their files go; what
# is still running when this PID namespace ends is killed by the kernel.
cleanup() {
  if [ -n "$manager" ]; then
    systemctl --user exit >/dev/null 2>&1 || true
    for _ in $(seq 100); do
      kill -0 "$manager" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$work" "$shared"
}
trap cleanup EXIT

mkdir -p "$work/config/systemd" "$work/home" "$work/runtime"
chmod 700 "$work/runtime"
ln -s "$units" "$work/config/systemd/user"
rm -rf "$shared"
mkdir -p "$shared"
export XDG_RUNTIME_DIR=$work/runtime XDG_CONFIG_HOME=$work/config HOME=$work/home
unset DBUS_SESSION_BUS_ADDRESS

"$systemd_binary" --user >"$work/manager.log" 2>&1 &
manager=$!
for _ in $(seq 100); do
  [ -S "$XDG_RUNTIME_DIR/systemd/private" ] && break
  kill -0 "$manager" 2>/dev/null || break
  sleep 0.1
done
if [ ! -S "$XDG_RUNTIME_DIR/systemd/private" ]; then
  wait "$manager" 2>/dev/null && status=0 || status=$?
  skip "systemd --user did not come up (exit status $status, log: $(tr '\n' ' ' <"$work/manager.log"))"
fi

state=$(timeout 60 systemctl --user is-system-running --wait 2>&1 || true)
echo "user manager: $state"

set +e
timeout 120 "$test_exe"
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "test failed (exit status $status); the units:"
  systemctl --user --no-pager list-units --all 2>&1 | head -40
  systemctl --user --no-pager status --all 2>&1 | head -80
fi
exit "$status"
