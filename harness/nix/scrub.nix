# Package placeholders for home-manager cases: every derivation reachable
# from pkgs gets the out path "@pname@", so expected files carry no store
# hashes and cases build no packages. Derivations keep their other
# attributes (passthru, meta, nested packages are scrubbed too), and
# `__spliced` lets mkDerivation still use the real package when one is
# needed as a build input.
#
# Tools that building a home-manager generation really runs stay real.
{ lib }:
let
  buildTimeTools = [
    "bash"
    "coreutils"
    "desktop-file-utils"
    "diffutils"
    "emptyDirectory"
    "findutils"
    "gettext"
    "glibcLocales"
    "gnugrep"
    "gnused"
    "jq"
    "lndir"
    "shared-mime-info"
  ];

  placeholderOf = pkg: "@${lib.getName pkg}@";

  scrubValue =
    value:
    if !lib.isAttrs value then
      value
    else if lib.isDerivation value then
      scrubDerivation value
    else
      lib.mapAttrs (_: scrubValue) value;

  scrubDerivation =
    pkg:
    lib.mapAttrs (_: scrubValue) pkg
    // {
      outPath = placeholderOf pkg;
      # getOutput and friends must not look for real outputs.
      outputSpecified = true;
      __spliced = {
        buildHost = pkg;
        hostTarget = pkg;
      };
    }
    // lib.optionalAttrs (lib.isFunction (pkg.override or null)) {
      override = args: scrubDerivation (pkg.override args);
    }
    // lib.optionalAttrs (lib.isFunction (pkg.overrideAttrs or null)) {
      overrideAttrs = f: scrubDerivation (pkg.overrideAttrs f);
    };
in
{
  # pkgs with placeholders, as an extensible set so that stub overlays
  # (`test.stubOverlays`) and `nixpkgs.overlays` apply on top.
  scrubPackages =
    pkgs:
    (lib.makeExtensible (_: lib.mapAttrs (_: scrubValue) pkgs)).extend (
      _: _: lib.genAttrs (lib.filter (name: pkgs ? ${name}) buildTimeTools) (name: pkgs.${name})
    );
}
