# `home.serviceManager`: settings of home.services as a whole, and the
# defaults of every service's own settings.
{ lib, ... }:
let
  inherit (lib) mkOption types;

  changeHandling = import ./change-handling.nix { inherit lib; };
in
{
  options.home.serviceManager = {
    configDataFolder = mkOption {
      type = types.addCheck types.str (
        folder:
        folder != ""
        && !lib.hasPrefix "/" folder
        && !lib.elem ".." (lib.splitString "/" folder)
      )
      // {
        description = "path relative to $XDG_CONFIG_HOME, without `..`";
      };
      default = "system-services";
      example = "home-services";
      description = ''
        The folder under {env}`XDG_CONFIG_HOME` that holds the
        `configData` files of every service, one subfolder per service
        (`<folder>/<prefix>/<file>`). The default matches the seed of this
        module; home-manager's own `home.services` uses `home-services`,
        which keeps the paths of a configuration moved from there.
      '';
    };

    onConfigDataChange = mkOption {
      type = changeHandling.type;
      default = "auto";
      example = "reload";
      description = ''
        The default of every service's `onConfigDataChange`: what
        switching generations does to a service's primary unit when one of
        its `configData` files changed. ${changeHandling.valuesText}
        `"auto"` is the safe choice: a unit is only asked to reload when it
        can. home-manager's own `home.services` always reloads; `"reload"`
        does the same.
      '';
    };

    systemOnlySettings = mkOption {
      type = types.enum [
        "adapt"
        "keep"
      ];
      default = "adapt";
      example = "keep";
      description = ''
        The default of every service's `systemOnlySettings`: whether the
        directives that only a system manager can honour (`DynamicUser=`,
        `User=`, `AmbientCapabilities=`, ...) are adapted for the user's
        systemd (`"adapt"`, with a warning per service) or kept as the
        service module sets them (`"keep"`, which is what home-manager's
        own `home.services` does; systemd 256 and later then refuse to
        load a unit with `DynamicUser=yes`, and others fail to start).
      '';
    };
  };
}
