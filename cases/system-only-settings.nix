# Directives only a system manager can honour are adapted for the user's
# systemd: left out, or translated into what a user manager can do, with
# one warning per service naming them. `systemOnlySettings = "keep"`
# writes them unchanged; home.serviceManager.systemOnlySettings is every
# service's default, and each sub-service has its own setting.
{ pkgs, ... }:
let
  hello = "${pkgs.hello}/bin/hello";
in
{
  home.serviceManager.systemOnlySettings = "keep";

  home.services = {
    # Everything of the table, written as a NixOS system module would.
    hardened = {
      systemOnlySettings = "adapt";
      process.argv = [ hello ];

      systemd.service.serviceConfig = {
        DynamicUser = true;
        RestrictSUIDSGID = false; # the unit's own value wins
        User = "hello";
        Group = "hello";
        SupplementaryGroups = [ "audio" ];
        AmbientCapabilities = [ "CAP_NET_BIND_SERVICE" ];
        CapabilityBoundingSet = [ "CAP_NET_BIND_SERVICE" ];
        SecureBits = "keep-caps";
        PrivateDevices = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = "yes";
        ProtectClock = true;
        SystemCallFilter = [ "@system-service" ];
        RootDirectory = "/var/empty";
        TemporaryFileSystem = [ "/var:ro" ];
        LogNamespace = "hello";
        IOSchedulingClass = "realtime";
        IOSchedulingPriority = 2;
        CPUSchedulingPolicy = "fifo";
        CPUSchedulingPriority = 10;
        StateDirectory = "hello";
        WorkingDirectory = "/var/lib/hello/data";
        # Not adapted: a user manager honours or ignores them.
        ProtectKernelTunables = true;
        LoadCredential = [ "token:/run/secrets/token" ];
        Nice = 5;
      };

      # A second unit with one of the same directives: one line, both units.
      systemd.services.helper.serviceConfig = {
        ExecStart = "${hello} helper";
        User = "hello";
        # Only the real-time ones are adapted.
        IOSchedulingClass = "best-effort";
        CPUSchedulingPolicy = "batch";
      };

      systemd.socket = {
        listenStreams = [ "%t/hardened.sock" ];
        socketConfig = {
          SocketUser = "hello";
          SocketGroup = "hello";
          SocketMode = "0600";
        };
      };
    };

    # Follows home.serviceManager.systemOnlySettings: kept, no warning.
    exact = {
      process.argv = [ hello ];
      systemd.service.serviceConfig = {
        User = "hello";
        AmbientCapabilities = "CAP_NET_BIND_SERVICE";
      };

      # A sub-service decides for itself.
      services.child = {
        systemOnlySettings = "adapt";
        process.argv = [ hello ];
        systemd.service.serviceConfig.SupplementaryGroups = "audio";
      };
    };
  };

  test.asserts.warnings.expected = [
    (
      "home.services.exact.services.child: adapted for the user's systemd, which cannot honour these settings of a system service:\n"
      + "- `SupplementaryGroups=` in exact-child.service: left out. Why: setting groups needs CAP_SETGID; the unit fails at start (216/GROUP).\n"
      + "Set `home.services.exact.services.child.systemOnlySettings = \"keep\"` to keep them as they are."
    )
    (
      "home.services.hardened: adapted for the user's systemd, which cannot honour these settings of a system service:\n"
      + "- `AmbientCapabilities=` in hardened.service: left out. Why: an unprivileged manager has no capabilities to grant; the unit fails at start (218/CAPABILITIES).\n"
      + "- `CPUSchedulingPolicy=` in hardened.service: left out, with `CPUSchedulingPriority=`. Why: real-time policies need CAP_SYS_NICE (or a LimitRTPRIO= the manager may not raise); the unit fails at start (214/SETSCHEDULER).\n"
      + "- `CapabilityBoundingSet=` in hardened.service: left out (a service of yours holds no capabilities to bound). Why: changing the bounding set needs CAP_SETPCAP; the unit fails at start (218/CAPABILITIES).\n"
      + "- `DynamicUser=` in hardened.service: left out; `NoNewPrivileges=yes` and `RestrictSUIDSGID=yes`, which it implies, are set unless the unit sets them. Why: systemd 256 and later refuse to load a user unit with it; before, an unprivileged manager cannot allocate a user and the unit fails at start (217/USER).\n"
      + "- `Group=` in hardened.service: left out: the service runs with your group. Why: a user manager cannot switch to another group; the unit fails at start (216/GROUP).\n"
      + "- `IOSchedulingClass=` in hardened.service: left out (the default best-effort class applies). Why: the realtime class needs CAP_SYS_ADMIN; the unit fails at start (211/IOPRIO).\n"
      + "- `LogNamespace=` in hardened.service: left out: the service logs to your journal. Why: journal namespaces are the system's; the unit fails at start (226/NAMESPACE).\n"
      + "- `PrivateDevices=` in hardened.service: `SystemCallFilter=~@raw-io:EPERM`, the system call filter it also installs. Why: it takes CAP_MKNOD and CAP_SYS_RAWIO out of the bounding set, which a user manager can only do in a user namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (218/CAPABILITIES).\n"
      + "- `ProtectClock=` in hardened.service: `SystemCallFilter=~@clock:EPERM`, the system call filter it also installs. Why: it takes CAP_SYS_TIME and CAP_WAKE_ALARM out of the bounding set, which a user manager can only do in a user namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (218/CAPABILITIES).\n"
      + "- `ProtectKernelLogs=` in hardened.service: `SystemCallFilter=~syslog:EPERM`, the system call filter it also installs. Why: it takes CAP_SYSLOG out of the bounding set, which a user manager can only do in a user namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (218/CAPABILITIES).\n"
      + "- `ProtectKernelModules=` in hardened.service: `SystemCallFilter=~@module:EPERM`, the system call filter it also installs. Why: it takes CAP_SYS_MODULE out of the bounding set, which a user manager can only do in a user namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (218/CAPABILITIES).\n"
      + "- `RootDirectory=` in hardened.service: left out: the service sees the file system as you do. Why: chroot() needs CAP_SYS_CHROOT, which a user manager only has in a user namespace (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (210/CHROOT).\n"
      + "- `SecureBits=` in hardened.service: left out. Why: setting secure bits needs CAP_SETPCAP; the unit fails at start (213/SECUREBITS).\n"
      + "- `SocketGroup=` in hardened.socket: left out: the socket has your group. Why: a user manager cannot give a socket to a group you are not in; the socket fails to start.\n"
      + "- `SocketUser=` in hardened.socket: left out: the socket belongs to you. Why: a user manager cannot give a socket to another user; the socket fails to start.\n"
      + "- `SupplementaryGroups=` in hardened.service: left out. Why: setting groups needs CAP_SETGID; the unit fails at start (216/GROUP).\n"
      + "- `TemporaryFileSystem=` in hardened.service: left out: the folders it would hide stay as they are. Why: mounting a file system needs a user namespace for the service (systemd 254 and later, where the kernel allows them); elsewhere the unit fails at start (226/NAMESPACE).\n"
      + "- `User=` in hardened.service, hardened-helper.service: left out: the service runs as you. Why: a user manager cannot switch users; the unit fails at start (216/GROUP), with your own user name too before systemd 257.\n"
      + "- `WorkingDirectory=` in hardened.service: `%S/hello/data`. Why: a user manager creates the unit's own directories below your home and $XDG_RUNTIME_DIR, not below /var and /run; the unit fails at start (200/CHDIR).\n"
      + "Set `home.services.hardened.systemOnlySettings = \"keep\"` to keep them as they are."
    )
  ];

  nmt.description = "system-only directives are adapted for the user manager, or kept";
  nmt.script = ''
    units=home-files/.config/systemd/user

    for key in DynamicUser User Group SupplementaryGroups AmbientCapabilities \
      CapabilityBoundingSet SecureBits PrivateDevices ProtectKernelModules ProtectKernelLogs \
      ProtectClock RootDirectory TemporaryFileSystem LogNamespace IOSchedulingClass CPUSchedulingPolicy \
      CPUSchedulingPriority; do
      assertUnitNoKey $units/hardened.service Service $key
    done
    assertUnitValue $units/hardened.service Service NoNewPrivileges true
    assertUnitValue $units/hardened.service Service RestrictSUIDSGID false
    assertUnitValue $units/hardened.service Service SystemCallFilter @system-service
    assertUnitValue $units/hardened.service Service SystemCallFilter '~@raw-io:EPERM'
    assertUnitValue $units/hardened.service Service SystemCallFilter '~@module:EPERM'
    assertUnitValue $units/hardened.service Service SystemCallFilter '~syslog:EPERM'
    assertUnitValue $units/hardened.service Service SystemCallFilter '~@clock:EPERM'
    assertUnitValue $units/hardened.service Service WorkingDirectory '%S/hello/data'
    assertUnitValue $units/hardened.service Service StateDirectory hello
    assertUnitValue $units/hardened.service Service IOSchedulingPriority 2
    assertUnitValue $units/hardened.service Service ProtectKernelTunables true
    assertLoadCredential $units/hardened.service token /run/secrets/token
    assertUnitValue $units/hardened.service Service Nice 5

    assertUnitNoKey $units/hardened-helper.service Service User
    assertUnitValue $units/hardened-helper.service Service IOSchedulingClass best-effort
    assertUnitValue $units/hardened-helper.service Service CPUSchedulingPolicy batch

    assertUnitNoKey $units/hardened.socket Socket SocketUser
    assertUnitNoKey $units/hardened.socket Socket SocketGroup
    assertUnitValue $units/hardened.socket Socket SocketMode 0600

    assertUnitValue $units/exact.service Service User hello
    assertUnitValue $units/exact.service Service AmbientCapabilities CAP_NET_BIND_SERVICE
    assertUnitNoKey $units/exact.service Service NoNewPrivileges
    assertUnitNoKey $units/exact-child.service Service SupplementaryGroups

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/exact-child.service
    assertUnitVerifies home-files/.config/systemd/user/exact.service
    assertUnitVerifies home-files/.config/systemd/user/hardened-helper.service
    assertUnitVerifies home-files/.config/systemd/user/hardened.service
    assertUnitVerifies home-files/.config/systemd/user/hardened.socket
  '';
}
