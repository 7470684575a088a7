# `configData` on home-manager.
#
# lib/services lets a service declare files under `configData.<name>` and
# leaves `configData.<name>.path` for the service manager to fill in.
# home.services places every enabled entry at
#
#   $XDG_CONFIG_HOME/system-services/<prefix>/<name>
#
# where <prefix> is the service's unit prefix (`web`, `web-db` for a
# sub-service), sets `path` to that absolute location and lists the files
# in the primary unit's restart triggers, so that a changed file restarts
# the service on switch. The files themselves are linked by
# ./default.nix through `xdg.configFile`.
#
# Applied with the host's settings, this file returns a service module.
{
  # Absolute path of $XDG_CONFIG_HOME (home-manager's `xdg.configHome`).
  configHome,
  # The service's path in the service tree, e.g. [ "web" "db" ].
  servicePath,
}:
{ config, lib, ... }:
let
  names = import ./names.nix { inherit lib; };

  enabledEntries = lib.filter (entry: entry.enable) (lib.attrValues config.configData);
in
{
  _class = "service";

  options.configData = lib.mkOption {
    type = lib.types.lazyAttrsOf (
      lib.types.submodule (
        { config, ... }:
        {
          config.path = "${configHome}/${names.configDataTarget servicePath config.name}";
        }
      )
    );
  };

  config.systemd.services."".restartTriggers = map (entry: entry.source) enabledEntries;
}
