# From NixOS-style unit modules to home-manager's unit values.
#
# A service's `systemd.services.<unit>` and `systemd.sockets.<unit>` are
# deferred modules. `translateUnit` evaluates one of them against
# ./unit.nix and builds the value home-manager's `systemd.user.services` /
# `systemd.user.sockets` take: one attribute set per INI section (`Unit`,
# `Service` or `Socket`, `Install`), holding systemd's directive names.
{ lib }:
let
  inherit (lib)
    any
    attrNames
    concatMap
    filterAttrs
    head
    isDerivation
    isList
    last
    length
    mapAttrs
    mapAttrs'
    mapAttrsToList
    nameValuePair
    subtractLists
    toList
    unique
    zipAttrsWith
    ;

  schema = import ./unit.nix;
  systemOnly = import ./system-only.nix { inherit lib; };

  # Unit options with a directive of their own, per section.
  unitDirectives = {
    description = "Description";
    documentation = "Documentation";
    requires = "Requires";
    wants = "Wants";
    upholds = "Upholds";
    after = "After";
    before = "Before";
    bindsTo = "BindsTo";
    partOf = "PartOf";
    conflicts = "Conflicts";
    requisite = "Requisite";
    onFailure = "OnFailure";
    onSuccess = "OnSuccess";
  };

  installDirectives = {
    wantedBy = "WantedBy";
    requiredBy = "RequiredBy";
  };

  socketDirectives = {
    listenStreams = "ListenStream";
    listenDatagrams = "ListenDatagram";
  };

  # Home-manager leaves out empty lists and nulls itself; empty strings
  # (e.g. the default `description`) mean "not set" here too.
  isUnset = value: value == null || value == "" || value == [ ];

  # { after = "After"; } and a unit -> { After = unit.after; }, unset ones
  # left out.
  directivesFrom =
    table: unit:
    filterAttrs (_: value: !isUnset value) (
      mapAttrs' (option: directive: nameValuePair directive unit.${option}) table
    );

  # Combines the directives made from options with the ones given verbatim
  # (`unitConfig`, `serviceConfig`, `socketConfig`). A directive set both
  # ways gets all values when either is a list; otherwise the verbatim value
  # wins.
  mergeSection =
    fromOptions: verbatim:
    zipAttrsWith (
      _: values:
      if length values == 1 then
        head values
      else if any isList values then
        concatMap toList values
      else
        last values
    ) [
      fromOptions
      verbatim
    ];

  # Home-manager's unit types take booleans, integers, strings and paths;
  # packages become their store path.
  toIniValue =
    value:
    if isList value then
      map toIniValue value
    else if isDerivation value then
      "${value}"
    else
      value;

  section = attrs: mapAttrs (_: toIniValue) (filterAttrs (_: value: !isUnset value) attrs);

  # The user manager has no multi-user.target; default.target is its
  # counterpart.
  installTarget = target: if target == "multi-user.target" then "default.target" else target;

  installSection =
    unit:
    section (
      mapAttrs (_: targets: unique (map installTarget targets)) (directivesFrom installDirectives unit)
    );

  # NAME=value, in double quotes (which systemd unquotes) when the value
  # would otherwise be split or unquoted by systemd. Paths are copied to the
  # store and packages give their store path, as with string interpolation.
  environmentEntry =
    name: value:
    let
      entry = "${name}=${value}";
    in
    if builtins.match "[^[:space:]\"'\\\\]*" entry != null then entry else builtins.toJSON entry;

  environmentEntries =
    environment: mapAttrsToList environmentEntry (filterAttrs (_: value: value != null) environment);

  triggers = map (trigger: "${trigger}");

  # The section that runs processes ([Service] or [Socket]), adapted for
  # the user manager when `adapt` is set: { section; adapted; }.
  execSection =
    adapt: name: directives:
    if adapt then
      systemOnly.adaptSection name directives
    else
      {
        section = directives;
        adapted = [ ];
      };

  serviceValue =
    adapt: unit:
    let
      exec = execSection adapt "Service" (
        mergeSection { Environment = environmentEntries unit.environment; } unit.serviceConfig
      );
    in
    {
      value = {
        Unit = section (
          mergeSection (
            directivesFrom unitDirectives unit
            // {
              X-Restart-Triggers = triggers unit.restartTriggers;
              X-Reload-Triggers = triggers unit.reloadTriggers;
            }
          ) unit.unitConfig
        );
        Service = section exec.section;
        Install = installSection unit;
      };
      inherit (exec) adapted;
    };

  socketValue =
    adapt: unit:
    let
      exec = execSection adapt "Socket" (
        mergeSection (directivesFrom socketDirectives unit) unit.socketConfig
      );
    in
    {
      value = {
        Unit = section (mergeSection (directivesFrom unitDirectives unit) unit.unitConfig);
        Socket = section exec.section;
        Install = installSection unit;
      };
      inherit (exec) adapted;
    };
in
{
  /**
    Evaluates a unit module and translates it.

    # Inputs

    `kind`: `"service"` or `"socket"`.

    `name`: the unit's name without suffix (e.g. `"web-db"`); the unit
    module receives it as its `name` argument.

    `loc`: the option path of the unit, for error messages.

    `module`: the unit module (a value of `systemd.services.<unit>`).

    `extraModules`: modules evaluated along with it (home.services' own
    settings, such as the configData triggers).

    `adaptSystemOnly`: whether directives only a system manager can honour
    are adapted for the user manager (./system-only.nix).

    # Output

    `enable`: the unit's `enable` option.

    `value`: the unit for home-manager's `systemd.user.services` /
    `systemd.user.sockets`.

    `ignored`: names of the settings the unit module made that have no
    counterpart in the schema (./unit.nix) and so are not in `value`.

    `adapted`: `{ key; becomes; reason; }` for each directive adapted for
    the user manager.
  */
  translateUnit =
    {
      kind,
      name,
      loc,
      module,
      extraModules ? [ ],
      adaptSystemOnly ? false,
    }:
    let
      evaluated = lib.evalModules {
        prefix = loc;
        modules = [
          (schema { inherit kind; })
          { _module.args.name = name; }
          module
        ]
        ++ extraModules;
      };
      unit = evaluated.config;
      translated = (if kind == "socket" then socketValue else serviceValue) adaptSystemOnly unit;
    in
    {
      inherit (unit) enable;
      inherit (translated) value adapted;
      ignored = subtractLists (attrNames evaluated.options) (attrNames unit);
    };

  # Exposed for the documentation and for tests.
  inherit
    unitDirectives
    installDirectives
    socketDirectives
    installTarget
    environmentEntry
    ;
}
