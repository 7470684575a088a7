# The smallest stand-in for nmt that home-manager's tests/default.nix can
# hand its suite to, written for hmt's reference. It shares no file with
# harness/nix, so that what hmt gets wrong in its own evaluation shows up
# as a difference instead of being repeated here.
#
# The interface is nmt's: the suite calls it with { modules; testedAttrPath;
# tests; pkgs; lib; }. Each test is evaluated as nmt evaluates it, with the
# modules [ the test's name and tested tree, nmt's options, the test ] ++
# modules, in that order. Its check runs the script the way nmt's `build`
# does: sourced by the bash of a runCommandLocal (so stdenv's functions,
# `substitute` among them, are there and a failing command fails the test),
# after nmt's preamble. Unlike nmt's build, the check always succeeds and
# records the outcome, so that one build gives the verdict and the tree.
{
  modules,
  testedAttrPath,
  tests,
  pkgs,
  lib ? pkgs.lib,
}:
let
  evaluate =
    name: test:
    lib.evalModules {
      modules = [
        (
          { config, ... }:
          {
            nmt.name = name;
            nmt.tested = lib.getAttrFromPath testedAttrPath config;
          }
        )
        ./options.nix
        test
      ]
      ++ map (import ./compat.nix lib) modules;
    };

  # What nmt puts on the script's PATH, and nothing else.
  toolPath = lib.makeBinPath (
    with pkgs;
    [
      coreutils
      diffutils
      findutils
      gnugrep
      gnused
      bash
    ]
  );

  checkOf =
    name: test:
    let
      inherit (test.config) nmt;
    in
    pkgs.runCommandLocal "nmt-reference-${name}"
      {
        script = ''
          set -uo pipefail
          export PATH="${toolPath}"
          . "${./assertions.bash}"
          TESTED="${nmt.tested}"
          ${nmt.script}
        '';
        passAsFile = [ "script" ];
      }
      ''
        mkdir -p "$out"
        ln -s "${nmt.tested}" "$out/tested"
        # The script in a function (stdenv runs nmt's build inside one, so
        # `local` works there), in a subshell with errexit on as in nmt's
        # build, whose end does not end this builder.
        runScript() { . "$scriptPath"; }
        set +e
        ( set -e; runScript ) >"$out/output" 2>&1
        echo $? >"$out/status"
      '';
in
{
  checks = lib.mapAttrs checkOf (lib.mapAttrs evaluate tests);
  names = lib.attrNames tests;
}
