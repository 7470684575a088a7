# home.services: nixpkgs' modular services, run by the user's systemd.
#
# Each `home.services.<name>` is a modular service (lib/services in
# nixpkgs) with nixpkgs' systemd layer, so service modules written for
# NixOS' `system.services` (`_class = "service"`, such as
# `pkgs.ghostunnel.passthru.services.default`) work unchanged. This module
#
# - evaluates the units of every service and sub-service and translates
#   them into `systemd.user.services` / `systemd.user.sockets`
#   (./translate.nix, ./unit.nix); unit names are the service's path in the
#   service tree joined with dashes (./names.nix);
# - links `configData` files below `$XDG_CONFIG_HOME/<folder>`
#   (./config-data.nix) and lists them in the primary unit's reload or
#   restart triggers (./change-handling.nix);
# - adapts the directives that only a system manager can honour
#   (`DynamicUser=`, `User=`, capabilities, ...) for the user's systemd,
#   unless a service's `systemOnlySettings` says "keep" (./system-only.nix);
# - reports the services' assertions and warnings, every unit setting it
#   had to leave out and every directive it adapted, through home-manager's
#   `assertions` / `warnings`.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib)
    concatLists
    concatMap
    concatStringsSep
    filter
    filterAttrs
    groupBy
    head
    listToAttrs
    mapAttrsToList
    mkIf
    mkOption
    nameValuePair
    showOption
    types
    ;

  cfg = config.home.services;
  managerCfg = config.home.serviceManager;

  names = import ./names.nix { inherit lib; };
  translate = import ./translate.nix { inherit lib; };
  changeHandling = import ./change-handling.nix { inherit lib; };

  serviceType = import ./service-type.nix {
    inherit lib pkgs;
    host = {
      inherit (config.xdg) configHome;
      inherit (managerCfg) configDataFolder onConfigDataChange systemOnlySettings;
    };
  };

  enabledConfigData = service: filter (item: item.enable) (lib.attrValues service.configData);

  # Added to the evaluation of a service's primary unit: its configData
  # files become reload or restart triggers, as `onConfigDataChange` and
  # the unit's own `ExecReload=` decide.
  configDataTriggers =
    service:
    let
      sources = map (item: item.source) (enabledConfigData service);
    in
    { config, ... }:
    let
      option = changeHandling.triggerOption service.onConfigDataChange config;
    in
    {
      reloadTriggers = mkIf (option == "reloadTriggers") sources;
      restartTriggers = mkIf (option == "restartTriggers") sources;
    };

  # Every service of the tree, each before its sub-services:
  # [ { servicePath = [ "web" "db" ]; loc = [ "home" "services" ... ]; service = config; } ]
  flattenService =
    servicePath: service:
    [
      {
        inherit servicePath service;
        loc = names.optionPath servicePath;
      }
    ]
    ++ concatLists (mapAttrsToList (sub: flattenService (servicePath ++ [ sub ])) service.services);

  allServices = concatLists (mapAttrsToList (name: flattenService [ name ]) cfg);

  unitKinds = [
    {
      kind = "service";
      option = "services";
    }
    {
      kind = "socket";
      option = "sockets";
    }
  ];

  unitsOfService =
    entry:
    concatMap (
      { kind, option }:
      mapAttrsToList (
        unitKey: module:
        let
          name = names.unitName entry.servicePath unitKey;
          setting = [
            "systemd"
            option
            unitKey
          ];
        in
        translate.translateUnit {
          inherit kind name module;
          loc = entry.loc ++ setting;
          extraModules = lib.optional (kind == "service" && unitKey == "") (
            configDataTriggers entry.service
          );
          adaptSystemOnly = entry.service.systemOnlySettings == "adapt";
        }
        // {
          inherit kind name setting;
          serviceLoc = entry.loc;
          fileName = "${name}.${kind}";
        }
      ) entry.service.systemd.${option}
    ) unitKinds;

  allUnits = concatMap unitsOfService allServices;

  enabledUnits = filter (unit: unit.enable) allUnits;

  unitsOfKind =
    kind:
    listToAttrs (
      map (unit: nameValuePair unit.name unit.value) (filter (unit: unit.kind == kind) enabledUnits)
    );

  configFiles = listToAttrs (
    concatMap (
      entry:
      map (
        item:
        nameValuePair (names.configDataTarget managerCfg.configDataFolder entry.servicePath item.name) {
          inherit (item) source;
        }
      ) (enabledConfigData entry.service)
    ) allServices
  );

  serviceAssertions = concatMap (
    entry:
    map (assertion: {
      inherit (assertion) assertion;
      message = "${showOption entry.loc}: ${assertion.message}";
    }) entry.service.assertions
  ) allServices;

  # Dashed names can meet, e.g. `home.services.a-b` and the sub-service
  # `home.services.a.services.b`.
  nameClashes = filterAttrs (_: units: builtins.length units > 1) (
    groupBy (unit: unit.fileName) enabledUnits
  );

  clashAssertions = mapAttrsToList (fileName: units: {
    assertion = false;
    message = "home.services: the unit ${fileName} is defined more than once, by ${
      concatStringsSep " and " (map (unit: showOption (unit.serviceLoc ++ unit.setting)) units)
    }; rename one of the services or units.";
  }) nameClashes;

  serviceWarnings = concatMap (
    entry: map (warning: "${showOption entry.loc}: ${warning}") entry.service.warnings
  ) allServices;

  # One warning per service whose units had directives adapted for the
  # user manager (./system-only.nix): each directive with its units, what
  # it became and why.
  systemOnlyWarnings = concatMap (
    entry:
    let
      adapted = concatMap (
        unit: map (item: item // { inherit (unit) fileName; }) unit.adapted
      ) (filter (unit: unit.serviceLoc == entry.loc) enabledUnits);

      line =
        items:
        let
          item = head items;
        in
        "- `${item.key}=` in ${concatStringsSep ", " (lib.unique (map (other: other.fileName) items))}: "
        + "${item.becomes}. Why: ${item.reason}.\n";
    in
    lib.optional (adapted != [ ]) (
      "${showOption entry.loc}: adapted for the user's systemd, which cannot honour these settings of a system service:\n"
      + lib.concatMapStrings line (lib.attrValues (groupBy (item: "${item.key} ${item.becomes}") adapted))
      + "Set `${showOption (entry.loc ++ [ "systemOnlySettings" ])} = \"keep\"` to keep them as they are."
    )
  ) allServices;

  ignoredSettingWarnings = concatMap (
    unit:
    map (
      key:
      "${showOption unit.serviceLoc}: `${showOption (unit.setting ++ [ key ])}` of ${unit.fileName} "
      + "has no home-manager equivalent and is ignored; set the systemd directive through "
      + (if unit.kind == "socket" then "`socketConfig`" else "`serviceConfig`")
      + " or `unitConfig` instead."
    ) unit.ignored
  ) enabledUnits;
in
{
  # Recent home-manager ships a `home.services` of its own; this module
  # replaces it. (A string names a module relative to home-manager's
  # `modulesPath`; where there is no such module, nothing is disabled.)
  disabledModules = [ "services-modular" ];

  imports = [ ./manager-options.nix ];

  options.home.services = mkOption {
    type = types.attrsOf serviceType;
    default = { };
    example = lib.literalExpression ''
      {
        hello = {
          process.argv = [ (lib.getExe pkgs.hello) "--greeting" "hi" ];
        };

        tunnel = {
          imports = [ pkgs.ghostunnel.passthru.services.default ];
          ghostunnel = {
            listen = "127.0.0.1:8443";
            target = "127.0.0.1:8080";
            cert = "/run/secrets/cert.pem";
            key = "/run/secrets/key.pem";
            allowAll = true;
          };
        };
      }
    '';
    description = ''
      [Modular services](https://nixos.org/manual/nixos/unstable/#modular-services)
      run by the user's systemd instance.

      Each attribute is a service, configured with the options of nixpkgs'
      portable service modules (`process.argv`, `configData`, `services`,
      `assertions`, ...) and of nixpkgs' systemd layer for them
      (`systemd.service`, `systemd.services`, `systemd.sockets`,
      `systemd.mainExecStart`, ...). Service modules from nixpkgs, such as
      `pkgs.<package>.passthru.services.default`, can be imported as they
      are.

      Units become {option}`systemd.user.services` and
      {option}`systemd.user.sockets` entries. The primary unit
      (`systemd.services.""`) is named after the service and runs
      `process.argv`; it is wanted by `default.target` unless its
      `wantedBy` is set. Other units, and sub-services with their units,
      are named after their parent with a dash: `<name>-<unit>`,
      `<name>-<sub>`, `<name>-<sub>-<unit>`.

      `configData.<file>` entries are linked to
      {file}`$XDG_CONFIG_HOME/<folder>/<prefix>/<file>`, `<folder>` being
      {option}`home.serviceManager.configDataFolder` and `<prefix>` the name
      of the service's primary unit; their `path` holds that absolute
      location. When one of them changes, switching generations reloads or
      restarts the service, as its `onConfigDataChange` says.

      Unit settings with no equivalent here (e.g. `script`, `path` or
      `startAt` of NixOS) are left out with a warning; systemd directives
      can always be given through `serviceConfig`, `unitConfig` and
      `socketConfig`. Directives that only a system manager can honour
      (`DynamicUser=`, `User=`, `AmbientCapabilities=`, ...) are adapted
      for the user's systemd, with a warning, unless the service's
      `systemOnlySettings` is `"keep"`.
    '';
  };

  config = mkIf (cfg != { }) {
    systemd.user.services = unitsOfKind "service";
    systemd.user.sockets = unitsOfKind "socket";

    xdg.configFile = configFiles;

    assertions = serviceAssertions ++ clashAssertions;
    warnings = serviceWarnings ++ systemOnlyWarnings ++ ignoredSettingWarnings;
  };
}
