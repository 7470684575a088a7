# Settings of a system service that systemd's user manager cannot honour.
#
# nixpkgs' service modules are written for NixOS' system manager, which runs
# as root. Lifted into `systemd.user`, some of their directives make the
# unit fail: systemd refuses to load it (`DynamicUser=` since 256), or the
# unprivileged manager cannot do what the directive asks when it starts the
# service (switch users, grant or drop capabilities, chroot, ...), and the
# start fails with one of systemd's exit statuses (216/GROUP,
# 218/CAPABILITIES, ...). `adaptSection` leaves such directives out of a
# unit's [Service] or [Socket] section, or translates them into what a
# user manager can do, and says what it did and why; home.services turns
# that into one warning per service (./default.nix).
#
# Each entry of `settings` is keyed by the directive and has
#   sections   the unit sections it is looked for in;
#   applies    section: value: whether this value needs adapting;
#   becomes    what is done instead (a string, or section: value: string);
#   reason     why the user manager cannot honour it;
# and optionally
#   alsoDrops  directives left out along with it;
#   defaults   directives set in its place unless the unit sets them;
#   appends    directives added after the unit's own values (lists);
#   rewrite    section: value: the directive's new value, instead of
#              leaving it out.
# docs/home-services.md lists every entry with the systemd versions seen.
{ lib }:
let
  inherit (lib)
    attrNames
    concatLists
    concatMap
    elem
    filter
    filterAttrs
    findFirst
    hasPrefix
    head
    isFunction
    isList
    last
    listToAttrs
    mapAttrs
    nameValuePair
    optionalString
    removeAttrs
    removePrefix
    replaceStrings
    splitString
    toList
    toLower
    zipAttrsWith
    ;

  # As ./translate.nix: values it leaves out of a unit.
  isSet = value: !(value == null || value == "" || value == [ ]);

  # systemd reads a directive given several times as its last value.
  lastValue = value: if isList value then (if value == [ ] then null else last value) else value;

  valueIn =
    choices: value:
    let
      final = lastValue value;
    in
    final != null && elem (toLower (toString final)) choices;

  isTrue =
    value:
    let
      final = lastValue value;
    in
    final == true || valueIn [ "yes" "true" "on" "1" ] value;

  always = _section: _value: true;
  whenTrue = _section: isTrue;

  both = [
    "Service"
    "Socket"
  ];

  # The directories a unit asks systemd to create, where a system manager
  # and a user manager put them, and the specifier that names them in both.
  directoryKinds = [
    {
      directive = "StateDirectory";
      system = "/var/lib";
      specifier = "%S";
    }
    {
      directive = "CacheDirectory";
      system = "/var/cache";
      specifier = "%C";
    }
    {
      directive = "LogsDirectory";
      system = "/var/log";
      specifier = "%L";
    }
    {
      directive = "RuntimeDirectory";
      system = "/run";
      specifier = "%t";
    }
    {
      directive = "ConfigurationDirectory";
      system = "/etc";
      specifier = "%E";
    }
  ];

  # "foo bar:ro" / [ "foo" ] -> [ "foo" "bar" ] (names, without a
  # `:ro` or `:target` suffix).
  directoryNames =
    value:
    map (entry: head (splitString ":" entry)) (
      filter (entry: entry != "") (concatMap (item: splitString " " (toString item)) (toList value))
    );

  # The unit's own directories: [ { system = "/var/lib/foo"; specifier = "%S/foo"; } ].
  ownDirectories =
    section:
    concatMap (
      kind:
      map (name: {
        system = "${kind.system}/${name}";
        specifier = "${kind.specifier}/${replaceStrings [ "%" ] [ "%%" ] name}";
      }) (directoryNames (if isSet (section.${kind.directive} or null) then section.${kind.directive} else [ ]))
    ) directoryKinds;

  # WorkingDirectory= below the system location of one of the unit's own
  # directories, e.g. "-/var/lib/foo/data" with StateDirectory=foo:
  # { prefix = "-"; directory = ...; rest = "/data"; }, or null.
  workingDirectoryMatch =
    section: value:
    let
      raw = toString (lastValue value);
      prefix = optionalString (hasPrefix "-" raw) "-";
      path = removePrefix prefix raw;
      directory = findFirst (
        dir: path == dir.system || hasPrefix "${dir.system}/" path
      ) null (ownDirectories section);
    in
    if directory == null then
      null
    else
      {
        inherit prefix directory;
        rest = removePrefix directory.system path;
      };

  rewriteWorkingDirectory =
    section: value:
    let
      match = workingDirectoryMatch section value;
    in
    "${match.prefix}${match.directory.specifier}${replaceStrings [ "%" ] [ "%%" ] match.rest}";

  # Dropping capabilities from the bounding set needs CAP_SETPCAP, which a
  # user manager has only inside a user namespace of the service's own.
  boundingSetReason =
    capabilities:
    "it takes ${capabilities} out of the bounding set, which a user manager can only do in a user "
    + "namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at "
    + "start (218/CAPABILITIES)";

  # The system call filter a protection also installs, which needs no
  # privileges; :EPERM makes the calls fail as they do under the original.
  seccompPart = filterEntry: {
    sections = both;
    applies = whenTrue;
    appends.SystemCallFilter = [ "~${filterEntry}:EPERM" ];
    becomes = "`SystemCallFilter=~${filterEntry}:EPERM`, the system call filter it also installs";
  };

  settings = {
    DynamicUser = {
      sections = both;
      applies = whenTrue;
      defaults = {
        NoNewPrivileges = true;
        RestrictSUIDSGID = true;
      };
      becomes = "left out; `NoNewPrivileges=yes` and `RestrictSUIDSGID=yes`, which it implies, are set unless the unit sets them";
      reason = "systemd 256 and later refuse to load a user unit with it; before, an unprivileged manager cannot allocate a user and the unit fails at start (217/USER)";
    };

    User = {
      sections = both;
      applies = always;
      becomes = "left out: the service runs as you";
      reason = "a user manager cannot switch users; the unit fails at start (216/GROUP), with your own user name too before systemd 257";
    };

    Group = {
      sections = both;
      applies = always;
      becomes = "left out: the service runs with your group";
      reason = "a user manager cannot switch to another group; the unit fails at start (216/GROUP)";
    };

    SupplementaryGroups = {
      sections = both;
      applies = always;
      becomes = "left out";
      reason = "setting groups needs CAP_SETGID; the unit fails at start (216/GROUP)";
    };

    AmbientCapabilities = {
      sections = both;
      applies = always;
      becomes = "left out";
      reason = "an unprivileged manager has no capabilities to grant; the unit fails at start (218/CAPABILITIES)";
    };

    CapabilityBoundingSet = {
      sections = both;
      applies = always;
      becomes = "left out (a service of yours holds no capabilities to bound)";
      reason = "changing the bounding set needs CAP_SETPCAP; the unit fails at start (218/CAPABILITIES)";
    };

    SecureBits = {
      sections = both;
      applies = always;
      becomes = "left out";
      reason = "setting secure bits needs CAP_SETPCAP; the unit fails at start (213/SECUREBITS)";
    };

    PrivateDevices = seccompPart "@raw-io" // {
      reason = boundingSetReason "CAP_MKNOD and CAP_SYS_RAWIO";
    };

    ProtectKernelModules = seccompPart "@module" // {
      reason = boundingSetReason "CAP_SYS_MODULE";
    };

    ProtectKernelLogs = seccompPart "syslog" // {
      reason = boundingSetReason "CAP_SYSLOG";
    };

    ProtectClock = seccompPart "@clock" // {
      reason = boundingSetReason "CAP_SYS_TIME and CAP_WAKE_ALARM";
    };

    RootDirectory = {
      sections = both;
      applies = always;
      becomes = "left out: the service sees the file system as you do";
      reason = "chroot() needs CAP_SYS_CHROOT, which a user manager only has in a user namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (210/CHROOT)";
    };

    TemporaryFileSystem = {
      sections = both;
      applies = always;
      becomes = "left out: the folders it would hide stay as they are";
      reason = "mounting a file system needs a user namespace for the service (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (226/NAMESPACE)";
    };

    LogNamespace = {
      sections = both;
      applies = always;
      becomes = "left out: the service logs to your journal";
      reason = "journal namespaces are the system's; the unit fails at start (226/NAMESPACE)";
    };

    IOSchedulingClass = {
      sections = both;
      applies = _section: valueIn [
        "realtime"
        "1"
      ];
      becomes = "left out (the default best-effort class applies)";
      reason = "the realtime class needs CAP_SYS_ADMIN; the unit fails at start (211/IOPRIO)";
    };

    CPUSchedulingPolicy = {
      sections = both;
      applies = _section: valueIn [
        "fifo"
        "rr"
      ];
      alsoDrops = [ "CPUSchedulingPriority" ];
      becomes = "left out, with `CPUSchedulingPriority=`";
      reason = "real-time policies need CAP_SYS_NICE (or a LimitRTPRIO= the manager may not raise); the unit fails at start (214/SETSCHEDULER)";
    };

    SocketUser = {
      sections = [ "Socket" ];
      applies = always;
      becomes = "left out: the socket belongs to you";
      reason = "a user manager cannot give a socket to another user; the socket fails to start";
    };

    SocketGroup = {
      sections = [ "Socket" ];
      applies = always;
      becomes = "left out: the socket has your group";
      reason = "a user manager cannot give a socket to a group you are not in; the socket fails to start";
    };

    WorkingDirectory = {
      sections = both;
      applies = section: value: workingDirectoryMatch section value != null;
      rewrite = rewriteWorkingDirectory;
      becomes = section: value: "`${rewriteWorkingDirectory section value}`";
      reason = "a user manager creates the unit's own directories below your home and $XDG_RUNTIME_DIR, not below /var and /run; the unit fails at start (200/CHDIR)";
    };
  };

  describe = field: section: value: if isFunction field then field section value else field;

  /**
    Adapts one section of a unit for the user manager.

    # Inputs

    `sectionName`: `"Service"` or `"Socket"`.

    `section`: the section's directives, as ./translate.nix builds them
    (directive name -> value or list of values).

    # Output

    `section`: the directives with those the user manager cannot honour
    left out or translated.

    `adapted`: one `{ key; becomes; reason; }` per directive that was
    adapted, in directive order.
  */
  adaptSection =
    sectionName: section:
    let
      entries = map (key: settings.${key} // { inherit key; }) (
        filter (
          key:
          let
            entry = settings.${key};
          in
          elem sectionName entry.sections && isSet (section.${key} or null) && entry.applies section section.${key}
        ) (attrNames settings)
      );

      rewritten = filter (entry: entry ? rewrite) entries;
      dropped = concatMap (entry: [ entry.key ] ++ entry.alsoDrops or [ ]) (
        filter (entry: !(entry ? rewrite)) entries
      );

      kept =
        removeAttrs section dropped
        // listToAttrs (map (entry: nameValuePair entry.key (entry.rewrite section section.${entry.key})) rewritten);

      defaults = filterAttrs (key: _: !isSet (section.${key} or null)) (
        zipAttrsWith (_: last) (map (entry: entry.defaults or { }) entries)
      );

      appends = zipAttrsWith (_: concatLists) (map (entry: entry.appends or { }) entries);

      withDefaults = kept // defaults;
    in
    {
      section =
        withDefaults
        // mapAttrs (
          key: values: filter isSet (toList (withDefaults.${key} or [ ])) ++ values
        ) appends;

      adapted = map (entry: {
        inherit (entry) key;
        becomes = describe entry.becomes section section.${entry.key};
        reason = describe entry.reason section section.${entry.key};
      }) entries;
    };
in
{
  inherit settings adaptSection;

  # The directives of the table, for the documentation check.
  keys = attrNames settings;
}
