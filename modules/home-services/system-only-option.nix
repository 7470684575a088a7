# `systemOnlySettings`: what becomes of the settings of a system service
# that systemd's user manager cannot honour (./system-only.nix).
#
# Applied with the host's settings, this file returns a service module.
{
  # { systemOnlySettings; ... }: the `home.serviceManager` settings.
  host,
}:
{ lib, ... }:
{
  _class = "service";

  options.systemOnlySettings = lib.mkOption {
    type = lib.types.enum [
      "adapt"
      "keep"
    ];
    default = host.systemOnlySettings;
    defaultText = lib.literalExpression "config.home.serviceManager.systemOnlySettings";
    example = "keep";
    description = ''
      What becomes of the directives of this service's units that only a
      system manager can honour (`DynamicUser=`, `User=`,
      `AmbientCapabilities=`, `CapabilityBoundingSet=`, ...), with which
      the user's systemd refuses to load a unit or fails to start it.

      `"adapt"` leaves them out or translates them into what a user
      manager can do (a `SystemCallFilter=` for `ProtectClock=yes`, say),
      with one warning per service that names them and says why. `"keep"`
      writes them as the service module sets them, as upstream's
      home-manager module does.

      Applies to this service only; each sub-service has its own setting.
    '';
  };
}
