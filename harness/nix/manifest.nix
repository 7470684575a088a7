# A case's manifest: one JSON file naming the tested tree and holding the
# assertion script. Building it realises the tested tree and every store
# path the script mentions (expected files), since the JSON carries their
# string context.
#
# Builtins only: the same function serves home-manager cases, the
# self-contained fixtures of hmt's own tests and `nix flake check`. The
# builder is /bin/sh with shell builtins alone, which Nix's sandbox
# provides.
{
  name,
  tested,
  script,
  file ? "",
  description ? "",
  system ? builtins.currentSystem,
  # The text fields as hexadecimal (nameHex, scriptHex, ...), for text
  # that is not UTF-8 on a Nix whose toJSON refuses it (./hex.nix).
  hexText ? false,
}:
let
  text =
    fields:
    if hexText then
      builtins.listToAttrs (
        map (key: {
          name = key + "Hex";
          value = import ./hex.nix fields.${key};
        }) (builtins.attrNames fields)
      )
    else
      fields;
in
derivation {
  name = "hmt-case-${import ./store-name.nix name}";
  inherit system;
  builder = "/bin/sh";
  # toJSON writes a single line, so `read` copies it whole; it has no final
  # newline, so `read` fails even when it read the line: an empty result
  # means the file could not be read, and must fail the build rather than
  # leave an empty manifest in the store.
  args = [
    "-c"
    ''IFS= read -r manifest < "$manifestPath"; [ -n "$manifest" ] || exit 1; printf '%s' "$manifest" > "$out"''
  ];
  manifest = builtins.toJSON (
    {
      format = 1;
      tested = "${tested}";
    }
    // text {
      inherit
        name
        file
        description
        script
        ;
    }
  );
  passAsFile = [ "manifest" ];
  preferLocalBuild = true;
  allowSubstitutes = false;
}
