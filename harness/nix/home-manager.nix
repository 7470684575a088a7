# The evaluator for home-manager cases. A case is evaluated the way
# home-manager's own test suite evaluates its tests, with the settings read
# from the checkout under test: its tests/default.nix is loaded as an nmt
# suite (./sources.nix), and the module list and test settings it hands to
# nmt (scrubbed packages and the ones it leaves real, the `pkgs` priority,
# test.stubs, test.enableBig, ...) are what every case gets. A checkout
# without that file gets ./test-settings.nix, hmt's own imitation.
#
# A case of an nmt suite runs exactly as that suite defines it; other cases
# also get `defaultModules` (this project's `home.services`), and all get
# `modules` (hmt's --module).
{
  nixpkgsArgs ? { },
  modules ? [ ],
  defaultModules ? [ ],
  pkgs ? import <nixpkgs> nixpkgsArgs,
  homeManager ? <home-manager>,
}:
let
  sources = import ./sources.nix;
  lib = import (homeManager + "/modules/lib/stdlib-extended.nix") pkgs.lib;

  # The scaffolding's own modules may call builtins this Nix lacks
  # (tests/stubs.nix calls traceVerbose): import them with stand-ins.
  compatModule =
    module:
    let
      patch = value: value // lib.optionalAttrs (value ? imports) { imports = map compatImport value.imports; };
      compatImport = entry: if builtins.isPath entry then sources.compatImport entry else entry;
    in
    if builtins ? traceVerbose || builtins.isPath module then
      module
    else if lib.isFunction module then
      lib.setFunctionArgs (arguments: patch (module arguments)) (lib.functionArgs module)
    else if builtins.isAttrs module then
      patch module
    else
      module;

  settingsOf = suite: {
    inherit (suite) lib;
    modules = map compatModule suite.modules;
    testedAttrPath = suite.testedAttrPath or [
      "home"
      "activationPackage"
    ];
  };

  suiteFile = homeManager + "/tests/default.nix";
  homeManagerSuite =
    if builtins.pathExists suiteFile then (sources.load { inherit pkgs; } suiteFile).suite else null;

  defaultSettings =
    if homeManagerSuite != null then
      settingsOf homeManagerSuite
    else
      {
        inherit lib;
        modules = import ./test-settings.nix { inherit lib pkgs homeManager; };
        testedAttrPath = [
          "home"
          "activationPackage"
        ];
      };
in
{
  # home-manager's case folders are functions of { lib, pkgs }.
  callArgs = { inherit lib pkgs; };

  # Called once per source (cases.nix keeps the partial application), so
  # that a suite's settings are worked out once, not once per case.
  evaluateCase =
    source:
    let
      settings = if source.suite != null then settingsOf source.suite else defaultSettings;
      suiteModules = settings.modules ++ modules ++ lib.optionals (source.suite == null) defaultModules;
      # As home-manager gives its users (nmt gives its suite none): so
      # that modules may name others by path, e.g. hmt's home.services
      # disabling home-manager's own.
      specialArgs = lib.optionalAttrs (source.suite == null) { modulesPath = homeManager + "/modules"; };
    in
    case:
    let
      # nmt's order: the case's name and tested tree, nmt's options, the
      # case as it is given, then the suite's modules. Definitions merge in
      # module order (lists concatenate in it, packages meet in buildEnv in
      # it), and imports come after every module of the list, so any other
      # order or a wrapper around the case builds other trees than the
      # suite's expected files show.
      evaluated =
        (settings.lib.evalModules {
          modules = [
            (
              { config, ... }:
              {
                nmt.name = case.name;
                nmt.tested = lib.getAttrFromPath settings.testedAttrPath config;
              }
            )
            ./nmt.nix
            case.module
          ]
          ++ suiteModules;
          inherit specialArgs;
        });
      inherit (evaluated) config;
    in
    {
      inherit (config.nmt) tested script description;
      # For hmt's record: where the case's definitions came from.
      definitions = import ./definition-files.nix { inherit (evaluated) options; };
    };
}
