# nixpkgs' compliance tests for hosts of modular services
# (`pkgs.testers.modularServiceCompliance`), eval level, with home.services
# as the host (modules/home-services/compliance.nix): argv, assertions and
# warnings of a service and a sub-service, and a failing assertion. The
# report is built too, which builds the generation of the tested services
# and fails if any eval test does.
{
  lib,
  realPkgs,
  modulesPath,
  ...
}:
let
  compliance = import ../modules/home-services/compliance.nix {
    pkgs = realPkgs;
    inherit modulesPath;
  };
  inherit (compliance.tests) eval;
in
{
  home.file = {
    "compliance/failures.json".text = builtins.toJSON eval.passthru.failures;
    "compliance/tests".text = lib.concatMapStrings (name: "${name}\n") (lib.attrNames eval.passthru.tests);
    "compliance/report".source = eval;
  };

  nmt.description = "nixpkgs' modularServiceCompliance eval tests pass with home.services";
  nmt.script = ''
    assertFileContent home-files/compliance/failures.json ${builtins.toFile "no-failures.json" "[]"}
    assertFileExists home-files/compliance/report
    for test in testProcessArgv testSubServiceArgv testAssertions testWarnings \
      testSubServiceAssertions testSubServiceWarnings testFailingAssertionValue; do
      assertFileRegex home-files/compliance/tests "^$test\$"
    done
  '';
}
