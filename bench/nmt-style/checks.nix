# The benchmark's nmt-style checks: one derivation per case that runs the
# case's nmt.script with plain-bash assertions (./assertions.bash), built
# from the same evaluation code hmt uses. Builds use the host's bash and
# tools (Nix's sandbox is off on the machines this runs on).
#
#   nix-build checks.nix --argstr spec JSON -A checks.NAME   one case
#   nix-build checks.nix --argstr spec JSON -A all           every case
{ spec }:
let
  settings = builtins.fromJSON spec;
  toPath = text: /. + text;
  evaluator = import ../../harness/nix/home-manager.nix {
    modules = map toPath (settings.modules or [ ]);
  };
  inherit
    (import ../../harness/nix/cases.nix {
      inherit evaluator;
      sources = map toPath settings.sources;
    })
    loaded
    ;
  checkOf =
    source: name:
    let
      evaluated = evaluator.evaluateCase source source.cases.${name};
    in
    derivation {
      name = "nmt-style-${import ../../harness/nix/store-name.nix name}";
      system = builtins.currentSystem;
      builder = "/bin/bash";
      args = [ ./check.bash ];
      PATH = "/usr/bin:/bin";
      assertions = ./assertions.bash;
      inherit (evaluated) tested script;
      passAsFile = [ "script" ];
    };
  wanted = settings.names;
  checks = builtins.listToAttrs (
    builtins.concatMap (
      source:
      map (name: {
        inherit name;
        value = checkOf source name;
      }) (builtins.filter (name: source.cases ? ${name}) wanted)
    ) loaded
  );
in
{
  inherit checks;
  all = builtins.attrValues checks;
}
