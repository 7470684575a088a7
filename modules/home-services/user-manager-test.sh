#!/usr/bin/env bash
# Runs a runtime test of home.services (./compliance.nix, mkTest; hmt's
# tests/integration/user_services.sh): starts a systemd user manager of its
# own on UNIT_DIR (a generation's home-files/.config/systemd/user), lets
# default.target start the services, runs TEST_EXE, and stops everything.
#
#   user-manager-test.sh UNIT_DIR SHARED_DIR TEST_EXE
#
# Environment:
#   HMT_USER_MANAGER_USER   run the manager, and TEST_EXE, as this existing
#                           unprivileged user, as a user's login would
#                           (unset: as root, which hides what an
#                           unprivileged manager cannot do);
#   HMT_USER_MANAGER_SETUP  an executable run as root before the manager
#                           starts, with the private /run in place and
#                           HMT_USER_MANAGER_UID/GID set (to place files the
#                           services read, say).
#
# A user manager refuses to start unless /run/systemd/system exists (the
# sign of a machine booted with systemd), and an unprivileged one exits
# without a word unless it has what logind gives a login: its runtime
# folder and a cgroup it may write to. So the manager runs in a mount
# namespace with a private /run holding both folders, in a cgroup of its
# own (hmt-user-manager.PID below this process's, in the hierarchies
# systemd uses) owned by the user, and in a PID namespace, so that nothing
# it started outlives the test. That needs root. TEST_EXE runs with
# XDG_RUNTIME_DIR set, so `systemctl --user` reaches the manager.
#
# Exit status: TEST_EXE's, or 77 with `SKIP: <reason>` where no user
# manager can run here. The namespaces, the cgroups and /run go with the
# test however it ends (a cgroup left by a run killed with SIGKILL is
# removed by the next run); SHARED_DIR is removed.
set -euo pipefail

units=$1
shared=$2
test_exe=$3
user=${HMT_USER_MANAGER_USER:-}

skip() {
  echo "SKIP: $*"
  exit 77
}

systemd_binary=""
for candidate in /lib/systemd/systemd /usr/lib/systemd/systemd; do
  [ -x "$candidate" ] && {
    systemd_binary=$candidate
    break
  }
done
[ -n "$systemd_binary" ] || skip "no systemd binary (Debian package systemd) to run a user manager"
command -v systemctl >/dev/null || skip "systemctl is not on PATH (Debian package systemd)"

if [ "${HMT_USER_MANAGER_NAMESPACE:-}" != 1 ]; then
  [ "$(id -u)" -eq 0 ] || skip "needs root: the user manager runs in mount and PID namespaces of its own (unshare)"
  command -v unshare >/dev/null || skip "unshare is not on PATH (Debian package util-linux)"
  command -v setpriv >/dev/null || skip "setpriv is not on PATH (Debian package util-linux)"
  if [ -n "$user" ]; then
    id -u "$user" >/dev/null 2>&1 || {
      echo "user-manager-test: no user $user (HMT_USER_MANAGER_USER)" >&2
      exit 2
    }
    [ "$(id -u "$user")" -ne 0 ] || {
      echo "user-manager-test: HMT_USER_MANAGER_USER must be an unprivileged user" >&2
      exit 2
    }
  fi
  # In a chroot the root is no mount point, so unshare cannot make the
  # mounts private; the mounts this test makes stay in its namespace as
  # long as none of them is shared with another one.
  propagation=private
  if ! probe=$(unshare --mount --pid --fork --mount-proc --propagation private true 2>&1); then
    unshare --mount --pid --fork --mount-proc --propagation unchanged true 2>/dev/null \
      || skip "cannot create mount and PID namespaces: $probe"
    ! grep -q ' shared:' /proc/self/mountinfo \
      || skip "cannot make mounts private here ($probe) and some are shared"
    propagation=unchanged
  fi
  # The namespace's first process gets SIGTERM when unshare ends, however
  # it ends, and cleans up; unshare ends with this script (SIGKILL as its
  # parent-death signal), and is killed when this script is stopped, as it
  # ignores SIGTERM and SIGINT itself.
  HMT_USER_MANAGER_NAMESPACE=1 HMT_USER_MANAGER_PARENT=$$ setpriv --pdeathsig KILL \
    unshare --mount --pid --fork --mount-proc --propagation "$propagation" --kill-child=TERM \
    bash "$0" "$@" &
  namespace=$!

  # PID's children.
  children() {
    local stat
    for stat in /proc/[0-9]*/stat; do
      [ "$(sed 's/.*) //' "$stat" 2>/dev/null | cut -d' ' -f2)" = "$1" ] && basename "${stat%/stat}"
    done
    return 0
  }

  # Stops the test on SIGNAL and waits (20 s at most) for its namespace to
  # clean up.
  stop() {
    local first
    first=$(children "$namespace")
    kill -KILL "$namespace" 2>/dev/null || true
    for _ in $(seq 200); do
      [ -n "$first" ] && kill -0 "$first" 2>/dev/null || break
      sleep 0.1
    done
    exit $((128 + $1))
  }
  trap 'stop 15' TERM
  trap 'stop 2' INT
  trap 'stop 1' HUP
  wait "$namespace"
  exit $?
fi

# From here on: PID 1 of a namespace of our own, as root.
if [ -n "$user" ]; then
  uid=$(id -u "$user")
  gid=$(id -g "$user")
else
  uid=0
  gid=0
  user=root
fi
tag=hmt-user-manager.$HMT_USER_MANAGER_PARENT

mount -t tmpfs -o mode=0755 hmt-run /run
mkdir -p /run/systemd/system

# A chroot may lack /sys; the cgroup hierarchies are the machine's.
mountpoint -q /sys || mount -t sysfs sysfs /sys
if ! mountpoint -q /sys/fs/cgroup; then
  mount -t tmpfs -o mode=0755 cgroup /sys/fs/cgroup
  if grep -q '^0::' /proc/self/cgroup && ! grep -q '^[1-9][0-9]*:' /proc/self/cgroup; then
    mount -t cgroup2 cgroup2 /sys/fs/cgroup
  else
    if grep -q '^0::' /proc/self/cgroup; then
      mkdir -p /sys/fs/cgroup/unified
      mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
    fi
    if grep -q ':name=systemd:' /proc/self/cgroup; then
      mkdir -p /sys/fs/cgroup/systemd
      mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
    fi
  fi
fi

# The hierarchies systemd uses (cgroup v2, and v1's name=systemd): where
# each is mounted and this process's cgroup in it.
cgroup_parents=()
while IFS=: read -r id controllers path; do
  mount_point=""
  if [ "$controllers" = name=systemd ]; then
    mount_point=/sys/fs/cgroup/systemd
  elif [ "$id" = 0 ]; then
    mount_point=/sys/fs/cgroup
    [ -d /sys/fs/cgroup/unified ] && mount_point=/sys/fs/cgroup/unified
  fi
  [ -n "$mount_point" ] && [ -w "$mount_point$path" ] && cgroup_parents+=("$mount_point${path%/}")
done </proc/self/cgroup
[ ${#cgroup_parents[@]} -gt 0 ] || skip "no writable systemd cgroup hierarchy (cgroup v2 or v1 name=systemd) below /sys/fs/cgroup"

# Cgroups of earlier runs that were killed before they could clean up:
# no process left in them, and older than a minute (a run that has just
# made its cgroup has not moved its manager there yet).
for parent in "${cgroup_parents[@]}"; do
  for stale in "$parent"/hmt-user-manager.*; do
    [ -d "$stale" ] && [ -n "$(find "$stale" -maxdepth 0 -mmin +1)" ] || continue
    [ -z "$(find "$stale" -name cgroup.procs -exec cat {} +)" ] || continue
    find "$stale" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
done

home=/run/hmt-user-manager/home
runtime=/run/user/$uid
manager=""
cgroups=()

# Stops the manager (and with it the services), then everything else in
# this namespace, then removes the cgroups and SHARED_DIR.
cleanup() {
  trap - EXIT TERM INT HUP
  if [ -n "$manager" ]; then
    as_user systemctl --user exit >/dev/null 2>&1 || true
    for _ in $(seq 100); do
      kill -0 "$manager" 2>/dev/null || break
      sleep 0.1
    done
  fi
  kill -KILL -1 2>/dev/null || true
  wait 2>/dev/null || true
  for cgroup in "${cgroups[@]}"; do
    [ -d "$cgroup" ] && find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  rm -rf "$shared"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# Sets `command` to COMMAND... run as the user, in the environment of a
# login of theirs.
user_command() {
  command=(env -i "PATH=$PATH" "HOME=$home" "USER=$user" "LOGNAME=$user"
    "XDG_RUNTIME_DIR=$runtime" LANG=C.UTF-8 "$@")
  [ "$uid" -eq 0 ] || command=(setpriv --reuid="$uid" --regid="$gid" --init-groups "${command[@]}")
}

as_user() {
  local command
  user_command "$@"
  "${command[@]}"
}

for parent in "${cgroup_parents[@]}"; do
  mkdir "$parent/$tag"
  cgroups+=("$parent/$tag")
  chown -R "$uid:$gid" "$parent/$tag"
done

mkdir -p "$runtime" "$home/.config/systemd"
chmod 0700 "$runtime" "$home"
ln -s "$units" "$home/.config/systemd/user"
chown -R "$uid:$gid" "$runtime" "$home"
rm -rf "$shared"
mkdir -p "$shared"
chown "$uid:$gid" "$shared"

if [ -n "${HMT_USER_MANAGER_SETUP:-}" ]; then
  HMT_USER_MANAGER_UID=$uid HMT_USER_MANAGER_GID=$gid "$HMT_USER_MANAGER_SETUP"
fi

# The manager joins its cgroups before it starts, as logind's user@.service
# would have it.
(
  for cgroup in "${cgroups[@]}"; do
    echo "$BASHPID" >"$cgroup/cgroup.procs"
  done
  user_command "$systemd_binary" --user
  exec "${command[@]}" >/run/hmt-user-manager/manager.log 2>&1
) &
manager=$!
for _ in $(seq 100); do
  [ -S "$runtime/systemd/private" ] && break
  kill -0 "$manager" 2>/dev/null || break
  sleep 0.1
done
if [ ! -S "$runtime/systemd/private" ]; then
  wait "$manager" 2>/dev/null && status=0 || status=$?
  manager=""
  skip "systemd --user did not come up as $user (exit status $status, log: $(tr '\n' ' ' </run/hmt-user-manager/manager.log))"
fi

state=$(as_user timeout 60 systemctl --user is-system-running --wait 2>&1 || true)
echo "user manager ($user, $("$systemd_binary" --version | head -1)): $state"

set +e
as_user timeout 120 "$test_exe" &
wait $!
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "test failed (exit status $status); the generation's units:"
  mapfile -t generation < <(find -L "$units" -maxdepth 1 -type f \( -name '*.service' -o -name '*.socket' \) -printf '%f\n' | sort)
  { as_user systemctl --user --no-pager status "${generation[@]}" 2>&1 || true; } | head -120
fi
exit "$status"
