# Text as hexadecimal digits, two a byte. Nix 2.19 and later refuse to
# write a string that is not UTF-8 as JSON (builtins.toJSON, --json), so
# hmt asks for names, paths and scripts in this form when the plain one
# failed. ./bytes holds the bytes 0x01 to 0xFF in order (Nix strings hold
# no NUL), from which each byte's value is looked up.
let
  bytes = builtins.readFile ./bytes;
  digits = "0123456789abcdef";
  digit = n: builtins.substring n 1 digits;
  table = builtins.listToAttrs (
    builtins.genList (index: {
      name = builtins.substring index 1 bytes;
      value = digit ((index + 1) / 16) + digit (index + 1 - 16 * ((index + 1) / 16));
    }) 255
  );
in
text:
builtins.concatStringsSep "" (
  builtins.genList (index: table.${builtins.substring index 1 text}) (builtins.stringLength text)
)
