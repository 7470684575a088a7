# hmt's entry point into Nix. `hmt` calls it with one JSON argument:
#
#   spec = {
#     evaluator      = "/abs/path/evaluator.nix"; # turns case modules into trees
#     modules        = [ "/abs/path" ... ];       # extra modules for every case
#     defaultModules = [ "/abs/path" ... ];       # extra modules for cases that are
#                                                 # not part of an nmt suite
#     sources        = [ "/abs/path" ... ];       # what --cases named
#   };
#
# and uses:
#
#   list        per source: { cases = [ { name; file; line; } ]; } or
#               { failed = true; } when loading it threw
#   listStrict  the same without protection, for Nix's own error message
#   listHex     listStrict with nameHex and fileHex for name and file (./hex.nix),
#               for a source whose names are not UTF-8 on a Nix whose JSON
#               refuses them (2.19 and later)
#   manifestPaths source name
#               a case's manifest: { drv; out; } (store paths); `name` is
#               the case's name, or { sha1 = "..."; } for one whose bytes
#               are not UTF-8 (a Nix string literal cannot carry them)
#   evaluate id source name
#               the same for a persistent evaluator (`nix repl`, one case a
#               line): traces "hmt: evaluated <id> <manifestPaths as JSON>";
#               a case that fails prints Nix's own error instead, and the
#               evaluator goes on with the next line
#   evaluateHex id source name
#               evaluate, with the manifest's text as hexadecimal
#   record id source name withModules
#               for hmt's record, on a line of its own after `evaluate`
#               (so that nothing it forces can change the case's answer):
#               traces "hmt: recorded <id> { files; modules?; }" as JSON,
#               the case's definition files (./definition-files.nix), or
#               { none = true; } when its evaluator does not say
#
# Further --arg/--argstr values are handed to the evaluator as
# `nixpkgsArgs` (e.g. --argstr system aarch64-linux).
#
# Builtins only, so that hmt's own fixtures run without nixpkgs.
{ spec, ... }@args:
let
  settings = builtins.fromJSON spec;
  toPath = text: /. + text;
  hex = import ./hex.nix;

  inherit
    (import ./cases.nix {
      evaluator = import (toPath settings.evaluator) {
        nixpkgsArgs = builtins.removeAttrs args [ "spec" ];
        modules = map toPath (settings.modules or [ ]);
        defaultModules = map toPath (settings.defaultModules or [ ]);
      };
      sources = map toPath (settings.sources or [ ]);
    })
    loaded
    listing
    manifestWith
    definitionsOf
    ;

  # The name a case reference stands for in the source at `index`.
  caseName =
    index: ref:
    if builtins.isString ref then
      ref
    else
      builtins.head (
        builtins.filter (name: builtins.hashString "sha1" name == ref.sha1) (
          builtins.attrNames (builtins.elemAt loaded index).cases
        )
      );

  sourceIndices = builtins.genList (index: index) (builtins.length (settings.sources or [ ]));

  protected =
    value:
    let
      attempt = builtins.tryEval (builtins.deepSeq value value);
    in
    if attempt.success then attempt.value else { failed = true; };

  manifestPathsWith =
    hexText: index: ref:
    let
      manifest = manifestWith hexText index (caseName index ref);
    in
    {
      # Not `outPath`: toJSON would turn the set into that string.
      drv = manifest.drvPath;
      out = manifest.outPath;
    };
in
{
  list = map (index: protected { cases = listing index; }) sourceIndices;
  listStrict = map (index: { cases = listing index; }) sourceIndices;
  listHex = map (index: {
    cases = map (case: {
      inherit (case) line;
      nameHex = hex case.name;
      fileHex = hex case.file;
    }) (listing index);
  }) sourceIndices;
  manifestPaths = manifestPathsWith false;
  evaluate =
    id: index: ref:
    builtins.trace "hmt: evaluated ${toString id} ${builtins.toJSON (manifestPathsWith false index ref)}" null;
  evaluateHex =
    id: index: ref:
    builtins.trace "hmt: evaluated ${toString id} ${builtins.toJSON (manifestPathsWith true index ref)}" null;
  record =
    id: index: ref: withModules:
    let
      definitions = definitionsOf index (caseName index ref);
      answer =
        if definitions == null then
          { none = true; }
        else
          { inherit (definitions) files; } // (if withModules then { inherit (definitions) modules; } else { });
    in
    builtins.trace "hmt: recorded ${toString id} ${builtins.toJSON answer}" null;
}
