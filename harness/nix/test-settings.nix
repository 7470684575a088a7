# hmt's imitation of home-manager's test settings, for a home-manager
# checkout that has no tests/default.nix to read them from: home-manager's
# module list, scrubbed packages (./scrub.nix), a fixed user, and the
# test.* options of its tests/ folder where it has them.
{
  lib,
  pkgs,
  homeManager,
}:
let
  inherit (import ./scrub.nix { inherit lib; }) scrubPackages;
  scrubbedPkgs = scrubPackages pkgs;
  testModules = lib.filter builtins.pathExists [
    (homeManager + "/tests/asserts.nix")
    (homeManager + "/tests/big-test.nix")
    (homeManager + "/tests/stubs.nix")
  ];
in
import (homeManager + "/modules/modules.nix") {
  inherit lib pkgs;
  check = false;
}
++ [
  (
    { config, ... }:
    {
      imports = map (import ./sources.nix).compatImport testModules;

      _module.args = {
        pkgsPath = throw "hmt: cases get pkgs, not a nixpkgs path to import";
        realPkgs = pkgs;
        # Above home-manager's own nixpkgs module, below a case's mkForce.
        pkgs = lib.mkOverride 60 (
          lib.foldr (overlay: set: set.extend overlay) scrubbedPkgs (
            (config.test.stubOverlays or [ ])
            ++ lib.optionals (config.nixpkgs.overlays != null) config.nixpkgs.overlays
          )
        );
        modulesPath = homeManager + "/modules";
      };

      # Everything that would otherwise read the caller's environment.
      xdg.enable = lib.mkDefault true;
      home = {
        username = "hm-user";
        homeDirectory = "/home/hm-user";
        stateVersion = lib.mkDefault "18.09";
      };
      manual.manpages.enable = lib.mkDefault false;
    }
  )
]
