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

  # One case's evaluation, shared by what is asked of it: its manifest
  # (`manifest hexText`; hexText writes its text as hexadecimal, see
  # ./manifest.nix) and what the evaluator says of where its definitions
  # came from (see ./definition-files.nix), or null when it does not say.
  evaluationOf =
    index: name:
    let
      case = (builtins.elemAt loaded index).cases.${name};
      evaluated = builtins.elemAt caseEvaluators index case;
    in
    {
      manifest =
        hexText:
        import ./manifest.nix {
          inherit system name;
          inherit (case) file;
          inherit (evaluated) tested script;
          description = evaluated.description or "";
          inherit hexText;
        };
      definitions = evaluated.definitions or null;
    };
in
{
  inherit loaded;

  # The cases of the source at `index`: [ { name; file; line; } ], by name.
  listing =
    index:
    map (case: { inherit (case) name file line; }) (builtins.attrValues (builtins.elemAt loaded index).cases);

  inherit evaluationOf;
  manifestOf = index: name: (evaluationOf index name).manifest false;
}
