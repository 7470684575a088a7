# hmt's entry point into Nix. `hmt` calls it with one JSON argument:
#
#   spec = {
#     evaluator = "/abs/path/to/evaluator.nix";  # turns case modules into trees
#     modules   = [ "/abs/path" ... ];           # extra modules for every case
#     caseDirs  = [ "/abs/dir" ... ];            # folders with a default.nix
#     names     = [ "case" ... ];                # the cases to evaluate
#   };
#
# and reads one of three attributes:
#
#   list    every case of every folder: [ { name; file; folder; } ]
#   shard   name -> { drvPath } or { failed = true; }: one evaluation for
#           many cases, an evaluation error of one case does not sink the rest
#   strict  name -> { drvPath }, without protection, to get Nix's own error
#           message for a case that failed in a shard
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
      };
      caseDirs = map toPath (settings.caseDirs or [ ]);
    })
    entries
    cases
    manifestOf
    ;

  forNames =
    f:
    builtins.listToAttrs (
      map (name: {
        inherit name;
        value = f cases.${name};
      }) settings.names
    );
in
{
  list = map (case: {
    inherit (case) name folder;
    file = toString case.file;
  }) entries;

  shard = forNames (
    case:
    let
      attempt = builtins.tryEval (manifestOf case).drvPath;
    in
    if attempt.success then { drvPath = attempt.value; } else { failed = true; }
  );

  strict = forNames (case: { drvPath = (manifestOf case).drvPath; });
}
