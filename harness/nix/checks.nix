# One `nix flake check` check per case: the case's manifest is built as an
# ordinary derivation (no nix-build inside a build) and hmt's verify-only
# mode asserts it. The TAP report is the check's output; a failing
# assertion fails the build with the report in the log.
{
  pkgs,
  hmt,
  homeManager,
  caseDirs,
  modules ? [ ],
}:
let
  inherit (import ./cases.nix {
    evaluator = import ./home-manager.nix { inherit pkgs homeManager modules; };
    inherit caseDirs;
    inherit (pkgs.stdenv.hostPlatform) system;
  }) cases manifestOf;
in
builtins.mapAttrs (
  name: case:
  pkgs.runCommand "hmt-check-${import ./store-name.nix name}"
    {
      nativeBuildInputs = [ hmt ];
      manifest = manifestOf case;
    }
    ''
      set -o pipefail
      hmt --verify "$manifest" | tee "$out"
    ''
) cases
