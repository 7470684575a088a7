# Reads a case source, the thing `--cases` names:
#
#   - a folder (its default.nix) or a .nix file mapping case names to test
#     modules: paths, attribute sets or functions, as home-manager's
#     tests/modules/*/default.nix do; the file may also be a function of
#     { lib, pkgs } returning that mapping;
#   - an nmt suite entry, such as home-manager's tests/default.nix: a file
#     that ends in `import (fetchTarball nmt) { lib; pkgs; modules; tests; }`.
#     hmt loads it with `fetchTarball` answered by ./nmt-capture, so the
#     suite's own test set and its own test settings (`modules`) come back.
#
# Builtins only, so that hmt's self-contained fixtures use it too.
let
  # home-manager's test scaffolding calls builtins.traceVerbose, new in Nix
  # 2.10; on older Nix it traces nothing, which is all it does by default.
  compatBuiltins = builtins // {
    traceVerbose = builtins.traceVerbose or (_message: value: value);
  };

  readSuiteFile = scopedImport {
    builtins = compatBuiltins;
    fetchTarball = _nmt: ./nmt-capture;
  };

  fileOf = path: if builtins.pathExists (path + "/default.nix") then path + "/default.nix" else path;

  # Like callPackage: a function gets those of `callArgs` it names.
  callWith =
    callArgs: value:
    if builtins.isFunction value then
      value (builtins.intersectAttrs (builtins.functionArgs value) callArgs)
    else
      value;

  # Where a module was written: the position of one of its attributes, or
  # of a function module's arguments. A case that a function made
  # (home-manager's firefox tests come from mapAttrs) has no position in
  # the set that holds it, but its module was written next to its files.
  writtenAt =
    module:
    let
      named =
        if builtins.isFunction module then
          builtins.functionArgs module
        else if builtins.isAttrs module then
          module
        else
          { };
      positions = builtins.filter (position: position != null) (
        map (name: builtins.unsafeGetAttrPos name named) (builtins.attrNames named)
      );
    in
    if positions == [ ] then null else builtins.head positions;

  caseFile =
    cases: file: name:
    let
      value = cases.${name};
      position = builtins.unsafeGetAttrPos name cases;
      inner = writtenAt value;
    in
    if builtins.isPath value || builtins.isString value then
      {
        file = toString value;
        line = 0;
      }
    else if position != null then
      {
        inherit (position) file line;
      }
    else if inner != null then
      {
        inherit (inner) file line;
      }
    else
      {
        file = toString file;
        line = 0;
      };
in
{
  inherit compatBuiltins;

  # Imports a module file with compatBuiltins where this Nix lacks a builtin
  # the file may call; keeps the path as the module's key, so
  # disabledModules still finds it.
  compatImport =
    path:
    if builtins ? traceVerbose then
      path
    else
      {
        _file = toString path;
        key = toString path;
        imports = [ (scopedImport { builtins = compatBuiltins; } path) ];
      };

  # { file; suite = null | { lib; pkgs; modules; tests; ... }; cases }
  # where cases: name -> { name; file; line; module; }.
  load =
    callArgs: path:
    let
      file = fileOf path;
      value = callWith callArgs (readSuiteFile file);
      suite = if builtins.isAttrs value && value ? __hmtNmtSuite then value.__hmtNmtSuite else null;
      modules = if suite != null then suite.tests else value;
    in
    if !builtins.isAttrs modules then
      throw "hmt: ${toString file} gives a ${builtins.typeOf modules}, not an attribute set of case names to modules"
    else
      {
        inherit file suite;
        cases = builtins.mapAttrs (
          name: module: { inherit name module; } // caseFile modules file name
        ) modules;
      };
}
