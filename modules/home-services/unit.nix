# The unit schema of home.services.
#
# Service modules describe their units as deferred modules under
# `systemd.services.<unit>` and `systemd.sockets.<unit>`, using the option
# names of NixOS' `systemd.services` / `systemd.sockets`. home.services
# evaluates every such module against the schema below, then ./translate.nix
# turns the result into the section-based values of home-manager's
# `systemd.user.services` / `systemd.user.sockets`.
#
# Only the NixOS options that have a direct systemd counterpart are declared.
# Anything else a module sets (`script`, `path`, `startAt`, ...) lands in the
# freeform attribute set, so that it can be reported instead of being lost.
#
# This file is a function of the unit kind ("service" or "socket") that
# returns the module. The module carries a key, so that it is loaded once
# even where it is imported twice (./service-host.nix adds it to the
# option types for documentation, ./translate.nix to every evaluation).
{ kind }:
{ lib, ... }:
let
  inherit (lib) mkOption types;

  isSetting =
    value:
    builtins.isBool value
    || builtins.isInt value
    || builtins.isString value
    || builtins.isPath value
    || lib.isDerivation value;

  # The value of one systemd directive. Several definitions of a directive
  # are concatenated as soon as one of them is a list (each list element
  # becomes a line of its own); single values must agree.
  setting = lib.mkOptionType {
    name = "systemdDirective";
    description = "systemd directive value (boolean, integer, string, path or package, or a list of them)";
    descriptionClass = "noun";
    check = value: isSetting value || (builtins.isList value && lib.all isSetting value);
    merge =
      loc: defs:
      if lib.any (def: builtins.isList def.value) defs then
        lib.concatMap (def: lib.toList def.value) defs
      else
        lib.mergeEqualOption loc defs;
  };

  settingsOption =
    section:
    mkOption {
      type = types.attrsOf setting;
      default = { };
      example = lib.literalExpression (
        {
          Unit = ''{ StartLimitIntervalSec = 30; }'';
          Service = ''{ MemoryMax = "512M"; ExecReload = "''${pkgs.coreutils}/bin/kill -HUP $MAINPID"; }'';
          Socket = ''{ Accept = false; SocketMode = "0600"; }'';
        }
        .${section}
      );
      description = ''
        Directives of the unit's `[${section}]` section, written with
        systemd's own names. Lists become one line per element. This is the
        way to reach any directive that has no option of its own here.
      '';
    };

  unitList =
    directive: section: what:
    mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = ''
        ${what} Becomes `${directive}=` in the `[${section}]` section.
      '';
    };

  commonOptions = {
    enable = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Whether to generate this unit. A disabled unit is left out of
        {option}`systemd.user.services` / {option}`systemd.user.sockets`.
      '';
    };

    description = mkOption {
      type = types.str;
      default = "";
      example = "Example web server";
      description = ''
        A short human-readable label of the unit (`Description=`). Left out
        when empty.
      '';
    };

    documentation = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "man:example(1)" ];
      description = "URIs of documentation for the unit (`Documentation=`).";
    };

    requires = unitList "Requires" "Unit" "Units this unit requires; they are started with it and a failure to start them fails it.";
    wants = unitList "Wants" "Unit" "Units that are started along with this unit.";
    upholds = unitList "Upholds" "Unit" "Units that are kept running (restarted if they stop) while this unit is active.";
    after = unitList "After" "Unit" "Units that this unit is started after.";
    before = unitList "Before" "Unit" "Units that this unit is started before.";
    bindsTo = unitList "BindsTo" "Unit" "Like `requires`, and this unit is stopped as well when one of them stops.";
    partOf = unitList "PartOf" "Unit" "Units whose stop or restart is propagated to this unit.";
    conflicts = unitList "Conflicts" "Unit" "Units that are stopped when this unit starts, and the other way round.";
    requisite = unitList "Requisite" "Unit" "Units that must already be active for this unit to start.";
    onFailure = unitList "OnFailure" "Unit" "Units that are activated when this unit fails.";
    onSuccess = unitList "OnSuccess" "Unit" "Units that are activated when this unit stops successfully.";

    wantedBy = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "graphical-session.target" ];
      description = ''
        Units that want this unit (`WantedBy=` in `[Install]`), i.e. the
        targets that start it. `multi-user.target`, which does not exist in
        a user's service manager, is replaced by `default.target`.
      '';
    };

    requiredBy = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = ''
        Units that require this unit (`RequiredBy=` in `[Install]`).
        `multi-user.target` is replaced by `default.target`.
      '';
    };

    unitConfig = settingsOption "Unit";
  };

  serviceOptions = {
    environment = mkOption {
      type = types.attrsOf (
        types.nullOr (
          types.oneOf [
            types.str
            types.path
            types.package
          ]
        )
      );
      default = { };
      example = lib.literalExpression ''{ LANG = "C.UTF-8"; CONFIG = ./app.conf; }'';
      description = ''
        Environment variables of the service's processes, one `Environment=`
        entry each (`NAME=value`, quoted when the value needs it). Variables
        set to `null` are left out.
      '';
    };

    serviceConfig = settingsOption "Service";

    restartTriggers = mkOption {
      type = types.listOf (
        types.oneOf [
          types.str
          types.path
          types.package
        ]
      );
      default = [ ];
      description = ''
        Values (typically store paths) whose change makes home-manager
        restart the service when switching generations
        (`X-Restart-Triggers=`). home.services adds the `configData` files
        of the service to its primary unit here or to `reloadTriggers`, as
        the service's `onConfigDataChange` says.
      '';
    };

    reloadTriggers = mkOption {
      type = types.listOf (
        types.oneOf [
          types.str
          types.path
          types.package
        ]
      );
      default = [ ];
      description = ''
        Values whose change makes home-manager reload the service when
        switching generations (`X-Reload-Triggers=`).
      '';
    };
  };

  socketOptions = {
    listenStreams = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "%t/example.sock" ];
      description = "Stream sockets to listen on (`ListenStream=`).";
    };

    listenDatagrams = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "127.0.0.1:5353" ];
      description = "Datagram sockets to listen on (`ListenDatagram=`).";
    };

    socketConfig = settingsOption "Socket";
  };

  kindOptions =
    {
      service = serviceOptions;
      socket = socketOptions;
    }
    .${kind} or (throw "home.services: unknown unit kind `${kind}`");
in
{
  key = "${toString ./unit.nix}#${kind}";

  # Everything else: kept so that home.services can warn about it.
  freeformType = types.attrsOf types.unspecified;

  options = commonOptions // kindOptions;
}
