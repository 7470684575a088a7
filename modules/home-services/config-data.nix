# `configData` on home-manager.
#
# lib/services lets a service declare files under `configData.<name>` and
# leaves `configData.<name>.path` for the service manager to fill in.
# home.services places every enabled entry at
#
#   $XDG_CONFIG_HOME/<folder>/<prefix>/<name>
#
# where <folder> is `home.serviceManager.configDataFolder` and <prefix> the
# service's unit prefix (`web`, `web-db` for a sub-service), and sets `path`
# to that absolute location. The files themselves are linked by
# ./default.nix through `xdg.configFile`; ./translate.nix lists them in the
# primary unit's reload or restart triggers, as `onConfigDataChange` says.
#
# Applied with the host's settings, this file returns a service module.
{
  # { configHome; configDataFolder; onConfigDataChange; }: the absolute path
  # of $XDG_CONFIG_HOME and the `home.serviceManager` settings.
  host,
  # The service's path in the service tree, e.g. [ "web" "db" ].
  servicePath,
}:
{ lib, ... }:
let
  names = import ./names.nix { inherit lib; };
  changeHandling = import ./change-handling.nix { inherit lib; };
in
{
  _class = "service";

  options.configData = lib.mkOption {
    type = lib.types.lazyAttrsOf (
      lib.types.submodule (
        { config, ... }:
        {
          config.path = "${host.configHome}/${
            names.configDataTarget host.configDataFolder servicePath config.name
          }";
        }
      )
    );
  };

  options.onConfigDataChange = lib.mkOption {
    type = changeHandling.type;
    default = host.onConfigDataChange;
    defaultText = lib.literalExpression "config.home.serviceManager.onConfigDataChange";
    example = "restart";
    description = ''
      What switching generations does to this service's primary unit when
      one of its `configData` files changed. ${changeHandling.valuesText}

      Applies to this service only; each sub-service has its own setting.
    '';
  };
}
