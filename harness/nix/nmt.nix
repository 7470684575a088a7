# The nmt options a home-manager test module sets. hmt reads them itself;
# nothing here runs the script.
{ lib, ... }:
{
  options.nmt = {
    script = lib.mkOption {
      type = lib.types.lines;
      default = "";
      description = ''
        Assertion commands run against the tested tree, with paths relative
        to it (e.g. `assertFileExists home-files/.config/foo`).
      '';
    };

    description = lib.mkOption {
      type = lib.types.str;
      default = "";
      description = "One line describing what the case checks.";
    };
  };
}
