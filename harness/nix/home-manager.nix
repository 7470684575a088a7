# The evaluator for home-manager cases: a case module is evaluated together
# with home-manager's module list, the settings home-manager's own tests use
# and the extra modules hmt was given (this project's `home.services`).
# The tested tree is `home.activationPackage`, as in home-manager's tests.
{
  nixpkgsArgs ? { },
  modules ? [ ],
  pkgs ? import <nixpkgs> nixpkgsArgs,
  homeManager ? <home-manager>,
}:
let
  lib = import (homeManager + "/modules/lib/stdlib-extended.nix") pkgs.lib;
  inherit (import ./scrub.nix { inherit lib; }) scrubPackages;
  scrubbedPkgs = scrubPackages pkgs;

  homeManagerModules = import (homeManager + "/modules/modules.nix") {
    inherit lib pkgs;
    check = false;
  };

  # Newer home-manager ships a home.services of its own; the cases test
  # the modules hmt was given instead.
  ownServicesModule = homeManager + "/modules/services-modular";

  testSettings =
    { config, ... }:
    {
      imports = [
        ./nmt.nix
        (homeManager + "/tests/asserts.nix")
        (homeManager + "/tests/big-test.nix")
        (homeManager + "/tests/stubs.nix")
      ];

      disabledModules = lib.optional (builtins.pathExists ownServicesModule) ownServicesModule;

      _module.args = {
        pkgsPath = throw "hmt: cases get pkgs, not a nixpkgs path to import";
        realPkgs = pkgs;
        # Above home-manager's own nixpkgs module, below a case's mkForce.
        pkgs = lib.mkOverride 60 (
          lib.foldr (overlay: set: set.extend overlay) scrubbedPkgs (
            config.test.stubOverlays ++ lib.optionals (config.nixpkgs.overlays != null) config.nixpkgs.overlays
          )
        );
      };

      # Everything that would otherwise read the caller's environment.
      xdg.enable = lib.mkDefault true;
      home = {
        username = "hm-user";
        homeDirectory = "/home/hm-user";
        stateVersion = lib.mkDefault "18.09";
      };
      manual.manpages.enable = lib.mkDefault false;
    };

  evaluate =
    file:
    lib.evalModules {
      modules = homeManagerModules ++ modules ++ [
        testSettings
        file
      ];
      specialArgs.modulesPath = homeManager + "/modules";
    };
in
{
  # A folder's default.nix: name -> module, or a function of { lib, pkgs }
  # returning that, as in home-manager's tests/modules/*/default.nix.
  loadFolder =
    dir:
    let
      listed = import (dir + "/default.nix");
    in
    if lib.isFunction listed then listed { inherit lib pkgs; } else listed;

  evaluateCase =
    case:
    let
      inherit (evaluate case.file) config;
    in
    {
      tested = config.home.activationPackage;
      script = config.nmt.script;
      inherit (config.nmt) description;
    };
}
