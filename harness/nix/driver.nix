# hmt's entry point into Nix. `hmt` calls it with one JSON argument:
#
#   spec = {
#     evaluator      = "/abs/path/evaluator.nix"; # turns case modules into trees
#     modules        = [ "/abs/path" ... ];       # extra modules for every case
#     defaultModules = [ "/abs/path" ... ];       # extra modules for cases that are
#                                                 # not part of an nmt suite
#     sources        = [ "/abs/path" ... ];       # what --cases named
#     cases          = [ [ sourceIndex name ] ... ];  # a name, or { sha1 = "..."; }
#                                                 # for one whose bytes are not
#                                                 # UTF-8 (JSON cannot carry them)
#   };
#
# and reads one of four attributes:
#
#   list        per source: { cases = [ { name; file; line; } ]; } or
#               { failed = true; } when loading it threw
#   listStrict  the same without protection, for Nix's own error message
#   chunk       per case of spec.cases: { drv; out; } (store paths) or
#               { failed = true; }: one evaluation for many cases, a case
#               that throws does not sink the rest; traces
#               "hmt: evaluating case N" before each and
#               "hmt: evaluated case N <result as JSON>" after it
#   strict      the same without protection
#
# Further --arg/--argstr values are handed to the evaluator as
# `nixpkgsArgs` (e.g. --argstr system aarch64-linux).
#
# Builtins only, so that hmt's own fixtures run without nixpkgs.
{ spec, ... }@args:
let
  settings = builtins.fromJSON spec;
  toPath = text: /. + text;

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
    manifestOf
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

  manifestPaths =
    case:
    let
      index = builtins.elemAt case 0;
      manifest = manifestOf index (caseName index (builtins.elemAt case 1));
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

  # Cases are forced in order; the trace before each one tells hmt which
  # case an evaluation that aborts was at.
  # Each result is traced too, so that an abort later in the chunk does not
  # lose the cases already evaluated.
  chunk = builtins.genList (
    index:
    let
      result = builtins.trace "hmt: evaluating case ${toString index}" (
        protected (manifestPaths (builtins.elemAt settings.cases index))
      );
    in
    builtins.trace "hmt: evaluated case ${toString index} ${builtins.toJSON result}" result
  ) (builtins.length (settings.cases or [ ]));
  strict = map manifestPaths (settings.cases or [ ]);
}
