# What harness/nix/definition-files.nix records of a small configuration
# made by the real module system (lib.evalModules): one module per rule,
# each named after what it shows. `part` picks what to evaluate, so that
# the shell test can also ask for what an uncatchable error stops.
{ part }:
let
  lib = import <nixpkgs/lib>;
  inherit (lib) mkIf mkOption types;
  # A module written as a set with its file named, as imports of paths are.
  module = name: body: { _file = "/modules/${name}.nix"; } // body;

  modules = [
    (module "declares" {
      options.programs.a = {
        enable = mkOption { type = types.bool; default = false; };
        text = mkOption { type = types.str; default = ""; };
      };
      options.programs.b.enable = mkOption { type = types.bool; default = false; };
      options.home = lib.genAttrs [ "list" "empty" "conditionThrows" ] (
        _: mkOption { type = types.anything; default = [ ]; }
      );
      options.assertions = mkOption { type = types.listOf types.anything; default = [ ]; };
    })
    # Defines into a namespace whose enable is false: left out.
    (module "into-disabled" { programs.a.text = "into a disabled namespace"; })
    (module "enables-b" { programs.b.enable = true; })
    (module "lists" { home.list = [ 1 ]; })
    # An assertion that holds: left out, but for the loose record.
    (module "holds" { assertions = [ { assertion = true; message = "holds"; } ]; })
    # Takes effect but is empty: left out, but for the loose record.
    (module "empty" { home.empty = [ ]; })
    # A condition that does not hold: no definition takes effect.
    (module "held-back" { home.list = mkIf false [ 2 ]; })
  ]
  ++ lib.optional (part == "throws") (
    # An assertion whose condition throws: every assertion counts.
    module "throws" { assertions = [ { assertion = throw "a condition that throws"; message = "throws"; } ]; }
  )
  ++ lib.optional (part == "conditionThrows") (
    # Its definition throws where the module system looks (an mkIf
    # condition): the record is incomplete.
    module "condition-throws" { home.conditionThrows = mkIf (throw "a condition that throws") [ 3 ]; }
  )
  ++ lib.optional (part == "missing") (
    # An error tryEval cannot catch where only the precise record looks (an
    # assertion's condition): only the loose record can be made.
    module "missing" { assertions = [ { assertion = { }.missing; message = "missing"; } ]; }
  );

  recorded = import ../../harness/nix/definition-files.nix {
    inherit (lib.evalModules { inherit modules; }) options;
  };
  names = map (file: lib.removeSuffix ".nix" (baseNameOf file));
in
if part == "precise" || part == "throws" then
  {
    files = names recorded.files;
    inherit (recorded) complete;
    modules = names recorded.modules;
  }
else if part == "loose" || part == "missing" then
  {
    files = names recorded.loose.files;
    inherit (recorded.loose) complete;
  }
else
  { inherit (recorded) complete; }
