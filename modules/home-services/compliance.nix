# home.services as an integration for nixpkgs' compliance tests of hosts of
# modular services (`pkgs.testers.modularServiceCompliance`).
#
#   compliance = import ./compliance.nix { inherit pkgs; modulesPath = <home-manager/modules>; };
#   compliance.tests.eval          # the eval-level tests (a derivation)
#   compliance.tests.basic-argv    # a runtime test: a program to run, see below
#
# `evalConfig { services }` evaluates a home-manager configuration whose
# `home.services` are `services`, with this project's module; its `config`
# is the evaluated `home.services` and its `checkDrv` the activation package
# (which fails to evaluate while an assertion fails, as home-manager's own
# entry point does).
#
# `mkTest { name, services, testExe }` builds a program that runs the
# services in a user manager of their own (./user-manager-test.sh) and then
# `testExe`; it exits 77 (skip), saying why, where no user manager can run.
{
  pkgs,
  # home-manager's `modules` folder.
  modulesPath,
  # Extra modules for every evaluation (e.g. home.serviceManager settings).
  modules ? [ ],
  # Where the runtime tests' services and checks meet; fixed at evaluation.
  sharedDir ? "/tmp/hmt-modular-service-compliance",
}:
let
  lib = import (modulesPath + "/lib/stdlib-extended.nix") pkgs.lib;

  homeManagerModules = import (modulesPath + "/modules.nix") {
    inherit lib pkgs;
    check = true;
  };

  # What a configuration needs besides its services; the manual cannot be
  # built everywhere and is not what is tested.
  baseSettings = {
    home = {
      username = "hm-user";
      homeDirectory = "/home/hm-user";
      stateVersion = "25.11";
    };
    manual.manpages.enable = false;
  };

  evaluate =
    services:
    lib.evalModules {
      modules =
        homeManagerModules
        ++ [
          ./..
          baseSettings
          { home.services = services; }
        ]
        ++ modules;
      class = "homeManager";
      specialArgs = { inherit modulesPath; };
    };

  checked =
    config:
    let
      failed = map (assertion: assertion.message) (lib.filter (assertion: !assertion.assertion) config.assertions);
    in
    if failed == [ ] then
      config.home.activationPackage
    else
      throw "home.services compliance: failed assertions:\n${lib.concatMapStringsSep "\n" (message: "- ${message}") failed}";

  evalConfig =
    { services }:
    let
      inherit (evaluate services) config;
    in
    {
      config = config.home.services;
      checkDrv = checked config;
    };

  mkTest =
    {
      name,
      services,
      testExe,
    }:
    let
      activation = (evalConfig { inherit services; }).checkDrv;
    in
    pkgs.writeShellScript name ''
      exec ${pkgs.bash}/bin/bash ${./user-manager-test.sh} \
        ${activation}/home-files/.config/systemd/user ${lib.escapeShellArg sharedDir} ${testExe}
    '';
in
{
  inherit evalConfig mkTest sharedDir;

  tests = pkgs.testers.modularServiceCompliance {
    inherit evalConfig mkTest sharedDir;
    namePrefix = "hmt-home-services-compliance";
  };
}
