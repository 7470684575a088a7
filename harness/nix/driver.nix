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
#   evaluateRecorded, evaluateHexRecorded id source name withModules
#               the same, then, from the same evaluation of the case, traces
#               "hmt: recording <id>" and what `record` traces: what
#               recording forces comes after the case's answer, so it cannot
#               change it
#   record id source name withModules loose
#               for hmt's record alone (a case whose evaluation failed):
#               traces "hmt: recorded <id> { files; modules?; }" as JSON,
#               the case's definition files (./definition-files.nix; loose:
#               without looking at definitions' values), or
#               { none = true; } when its evaluator does not say or they
#               could not all be worked out
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
    evaluationOf
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

  pathsOf =
    hexText: evaluation:
    let
      manifest = evaluation.manifest hexText;
    in
    {
      # Not `outPath`: toJSON would turn the set into that string.
      drv = manifest.drvPath;
      out = manifest.outPath;
    };

  evaluated =
    hexText: id: evaluation:
    builtins.trace "hmt: evaluated ${toString id} ${builtins.toJSON (pathsOf hexText evaluation)}" null;

  recorded =
    id: evaluation: withModules: loose:
    let
      definitions = evaluation.definitions;
      found = if loose then definitions.loose or definitions else definitions;
      answer =
        if definitions == null || !(found.complete or true) then
          { none = true; }
        else
          { inherit (found) files; } // (if withModules then { modules = definitions.modules or [ ]; } else { });
    in
    builtins.trace "hmt: recorded ${toString id} ${builtins.toJSON answer}" null;

  evaluateWith =
    hexText: id: index: ref:
    evaluated hexText id (evaluationOf index (caseName index ref));

  evaluateRecordedWith =
    hexText: id: index: ref: withModules:
    let
      evaluation = evaluationOf index (caseName index ref);
    in
    builtins.seq (evaluated hexText id evaluation) (
      builtins.trace "hmt: recording ${toString id}" (recorded id evaluation withModules false)
    );
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
  manifestPaths = index: ref: pathsOf false (evaluationOf index (caseName index ref));
  evaluate = evaluateWith false;
  evaluateHex = evaluateWith true;
  evaluateRecorded = evaluateRecordedWith false;
  evaluateHexRecorded = evaluateRecordedWith true;
  record =
    id: index: ref: withModules: loose:
    recorded id (evaluationOf index (caseName index ref)) withModules loose;
}
