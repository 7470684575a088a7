# The type of one `home.services.<name>` entry.
#
# It is the modular-service submodule of nixpkgs (`configure` in
# lib/services/lib.nix), with
#
# - nixpkgs' systemd layer for modular services
#   (nixos/modules/system/service/systemd/service.nix), which provides
#   `systemd.services`, `systemd.sockets`, `systemd.mainExecStart`, ... and
#   makes `process.argv` the primary unit's `ExecStart`;
# - home.services' own additions (./service-host.nix).
#
# Both files come from the nixpkgs of home-manager's `pkgs` (`pkgs.path`),
# so services are evaluated with the schema that nixpkgs' service modules
# were written for.
{
  lib,
  pkgs,
  # { configHome; configDataFolder; onConfigDataChange; systemOnlySettings; },
  # see ./config-data.nix and ./system-only-option.nix.
  host,
}:
let
  portable = import (pkgs.path + "/lib/services/lib.nix") { inherit lib; };

  systemdLayerFile = pkgs.path + "/nixos/modules/system/service/systemd/service.nix";

  # nixpkgs has shipped the systemd layer both as a plain module and as a
  # function of `{ pkgs }` returning the module. A module function always
  # takes `lib` or `config`; the wrapper takes neither.
  isPkgsWrapper =
    value:
    let
      arguments = lib.functionArgs value;
    in
    lib.isFunction value && arguments ? pkgs && !(arguments ? config) && !(arguments ? lib);

  systemdLayer =
    if isPkgsWrapper (import systemdLayerFile) then
      lib.modules.importApply systemdLayerFile { inherit pkgs; }
    else
      systemdLayerFile;

  configured = portable.configure {
    serviceManagerPkgs = pkgs;
    extraRootModules = [
      systemdLayer
      (import ./service-host.nix { inherit host; } [ ])
    ];
    extraRootSpecialArgs = {
      systemdPackage = pkgs.systemd;
    };
  };
in
configured.serviceSubmodule
