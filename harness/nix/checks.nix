# One `nix flake check` check per case: the case's manifest is built as an
# ordinary derivation (no nix-build inside a build) and hmt's verify-only
# mode asserts it. The TAP report is the check's output; a failing
# assertion fails the build with the report in the log.
{
  pkgs,
  hmt,
  homeManager,
  sources,
  modules ? [ ],
  defaultModules ? [ ],
}:
let
  inherit (pkgs) lib;
  inherit
    (import ./cases.nix {
      evaluator = import ./home-manager.nix {
        inherit
          pkgs
          homeManager
          modules
          defaultModules
          ;
      };
      inherit sources;
      inherit (pkgs.stdenv.hostPlatform) system;
    })
    loaded
    manifestOf
    ;

  checksOf =
    index: source:
    lib.mapAttrs (
      name: _case:
      pkgs.runCommand "hmt-check-${import ./store-name.nix name}"
        {
          # systemd-analyze, for assertUnitVerifies.
          nativeBuildInputs = [
            hmt
            pkgs.systemd
          ];
          manifest = manifestOf index name;
        }
        ''
          set -o pipefail
          hmt --verify "$manifest" | tee "$out"
        ''
    ) source.cases;
in
# The first source that defines a name wins, as in hmt.
lib.foldl (checks: later: later // checks) { } (lib.imap0 checksOf loaded)
