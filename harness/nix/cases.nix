# Case sources to manifests: the one evaluation code path shared by `hmt`
# (through driver.nix) and the flake's checks.
#
#   evaluator  { callArgs ? { };  # what a source file that is a function gets
#                evaluateCase = source: case: { tested; script; description ? ""; }; }
#   sources    folders or .nix files, as ./sources.nix reads them
#   system     for the manifest derivations (flakes have no currentSystem)
{
  evaluator,
  sources,
  system ? builtins.currentSystem,
}:
let
  loader = import ./sources.nix;
  loaded = map (loader.load (evaluator.callArgs or { })) sources;
  # One partial application per source, kept: an evaluator may work out
  # what all cases of a source share once (home-manager.nix does).
  caseEvaluators = map evaluator.evaluateCase loaded;

  # What the evaluator says of where a case's definitions came from
  # ({ files; modules; }), or null when it does not say.
  definitionsOf =
    index: name:
    (builtins.elemAt caseEvaluators index (builtins.elemAt loaded index).cases.${name}).definitions or null;

  # A case's manifest; manifestWith true writes its text as hexadecimal
  # (see ./manifest.nix).
  manifestWith =
    hexText: index: name:
    let
      source = builtins.elemAt loaded index;
      case = source.cases.${name};
      evaluated = builtins.elemAt caseEvaluators index case;
    in
    import ./manifest.nix {
      inherit system name;
      inherit (case) file;
      inherit (evaluated) tested script;
      description = evaluated.description or "";
      inherit hexText;
    };
in
{
  inherit loaded;

  # The cases of the source at `index`: [ { name; file; line; } ], by name.
  listing =
    index:
    map (case: { inherit (case) name file line; }) (builtins.attrValues (builtins.elemAt loaded index).cases);

  inherit manifestWith definitionsOf;
  manifestOf = manifestWith false;
}
