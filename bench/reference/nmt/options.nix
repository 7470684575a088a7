# The options a test module of an nmt suite sets or reads, with nmt's types:
# the script is required, the tested tree must be a package.
{ lib, ... }:
{
  options.nmt = {
    name = lib.mkOption {
      type = lib.types.str;
      readOnly = true;
      internal = true;
    };
    description = lib.mkOption {
      type = lib.types.str;
      default = "";
    };
    script = lib.mkOption { type = lib.types.lines; };
    tested = lib.mkOption {
      type = lib.types.package;
      readOnly = true;
    };
  };
}
