# What home.services, as the service manager, adds to every service and,
# through the `services` option, to every sub-service at any depth:
#
# - ./config-data.nix (configData locations, `onConfigDataChange`), which
#   needs to know where in the service tree the service sits;
# - ./system-only-option.nix (`systemOnlySettings`);
# - `WantedBy=default.target` as the default for the primary unit, so that
#   services start with the user's session unless told otherwise.
#
# Applied with the host's settings (`{ configHome; configDataFolder;
# onConfigDataChange; systemOnlySettings; }`, see ./config-data.nix and
# ./system-only-option.nix), this file returns a
# function of the parent's service path (`[ ]` for a service directly under
# `home.services`) that returns the service module.
{ host }:
let
  hostModule =
    parentPath:
    { lib, name, ... }:
    let
      servicePath = parentPath ++ [ name ];
    in
    {
      _class = "service";

      imports = [
        (lib.modules.importApply ./config-data.nix { inherit host servicePath; })
        (lib.modules.importApply ./system-only-option.nix { inherit host; })
      ];

      # Extends the `services` option of lib/services: sub-services get this
      # module too, one level deeper.
      options.services = lib.mkOption {
        type = lib.types.attrsOf (
          lib.types.submoduleWith {
            class = "service";
            modules = [ (hostModule servicePath) ];
          }
        );
      };

      # The unit options, for documentation (they are also what
      # ./translate.nix evaluates the units with).
      options.systemd.services = lib.mkOption {
        type = lib.types.lazyAttrsOf (
          lib.types.deferredModuleWith { staticModules = [ (import ./unit.nix { kind = "service"; }) ]; }
        );
      };
      options.systemd.sockets = lib.mkOption {
        type = lib.types.lazyAttrsOf (
          lib.types.deferredModuleWith { staticModules = [ (import ./unit.nix { kind = "socket"; }) ]; }
        );
      };

      # Upstream's primary unit wants `multi-user.target`, which becomes
      # `default.target` anyway (see ./translate.nix); being explicit keeps
      # that default even where the systemd layer sets none.
      config.systemd.services."".wantedBy = lib.mkDefault [ "default.target" ];
    };
in
hostModule
