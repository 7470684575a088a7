# hmt's independent reference: home-manager's own suite, read through its
# own tests/default.nix, with only nmt's fetch answered by ./nmt (the
# smallest stand-in for nmt's interface). Nothing here comes from
# harness/nix.
#
#   nix-instantiate --eval --json suite.nix -A names   the suite's test names
#   nix-build suite.nix -A 'checks."NAME"'             one test's check: its
#       output holds `status` (the script's exit status), `output` and
#       `tested` (a link to the tested tree)
{
  homeManager ? <home-manager>,
}:
let
  suiteFile = homeManager + "/tests/default.nix";
  # Nix 2.8 and 2.9 lack builtins.traceVerbose, which the suite calls.
  suiteBuiltins = builtins // {
    traceVerbose = builtins.traceVerbose or (_message: value: value);
  };
in
scopedImport {
  builtins = suiteBuiltins;
  fetchTarball = _nmt: ./nmt;
} suiteFile { }
