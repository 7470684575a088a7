# The nmt options a home-manager test module sees, declared as nmt declares
# them (nmt.script has no default: a test without one does not evaluate,
# as under nmt). hmt reads them itself; nothing here runs the script.
{ lib, ... }:
{
  options.nmt = {
    name = lib.mkOption {
      type = lib.types.str;
      internal = true;
      readOnly = true;
      description = "The case's name.";
    };

    description = lib.mkOption {
      type = lib.types.str;
      default = "";
      description = "One line describing what the case checks.";
    };

    script = lib.mkOption {
      type = lib.types.lines;
      description = ''
        Assertion commands run against the tested tree, with paths relative
        to it (e.g. `assertFileExists home-files/.config/foo`).
      '';
    };

    tested = lib.mkOption {
      type = lib.types.package;
      readOnly = true;
      description = "What the script tests: the suite's tested attribute (home.activationPackage).";
    };
  };
}
