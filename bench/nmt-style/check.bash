# The builder of one nmt-style check: runs the case's script, with the
# assertions of assertions.bash, against the tested tree; $out records it.
set -eo pipefail
source "$assertions"
export TESTED=$tested
cd "$TMPDIR"
run_script() { source "$scriptPath"; }
run_script
echo PASS >"$out"
