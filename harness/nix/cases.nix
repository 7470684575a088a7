# Case folders to manifests: the one evaluation code path shared by `hmt`
# (through driver.nix) and the flake's checks.
#
#   evaluator  { loadFolder = dir: { name = module; };
#                evaluateCase = { name, file, ... }: { tested; script; description; }; }
#   caseDirs   folders holding a default.nix, in priority order
#   system     for the manifest derivations (flakes have no currentSystem)
{
  evaluator,
  caseDirs,
  system ? builtins.currentSystem,
}:
let
  folderCases =
    dir:
    builtins.mapAttrs (name: file: {
      inherit name file;
      folder = toString dir;
    }) (evaluator.loadFolder dir);

  folders = map folderCases caseDirs;
in
{
  # Every case of every folder, clashes included, so a caller can warn.
  entries = builtins.concatMap builtins.attrValues folders;

  # name -> case; the first folder that defines a name wins.
  cases = builtins.foldl' (known: folder: folder // known) { } folders;

  manifestOf =
    case:
    let
      evaluated = evaluator.evaluateCase case;
    in
    import ./manifest.nix {
      inherit system;
      inherit (case) name;
      file = toString case.file;
      inherit (evaluated) tested script;
      description = evaluated.description or "";
    };
}
