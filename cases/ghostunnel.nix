# nixpkgs' ghostunnel service module, imported unchanged: its credentials and
# command line reach the user unit, and its system-only settings
# (DynamicUser=, AmbientCapabilities=) are adapted for the user manager,
# with a warning that names them.
{ pkgs, ... }:
{
  home.services.tunnel = {
    imports = [ pkgs.ghostunnel.passthru.services.default ];
    ghostunnel = {
      listen = "127.0.0.1:8443";
      target = "127.0.0.1:8080";
      cert = "/run/secrets/cert.pem";
      key = "/run/secrets/key.pem";
      allowAll = true;
    };
  };

  test.asserts.warnings.expected = [
    (
      "home.services.tunnel: adapted for the user's systemd, which cannot honour these settings of a system service:\n"
      + "- `AmbientCapabilities=` in tunnel.service: left out. Why: an unprivileged manager has no capabilities to grant; the unit fails at start (218/CAPABILITIES).\n"
      + "- `DynamicUser=` in tunnel.service: left out; `NoNewPrivileges=yes` and `RestrictSUIDSGID=yes`, which it implies, are set unless the unit sets them. Why: systemd 256 and later refuse to load a user unit with it; before, an unprivileged manager cannot allocate a user and the unit fails at start (217/USER).\n"
      + "Set `home.services.tunnel.systemOnlySettings = \"keep\"` to keep them as they are."
    )
  ];

  nmt.description = "pkgs.ghostunnel.passthru.services.default as a user unit";
  nmt.script = ''
    unit=home-files/.config/systemd/user/tunnel.service

    assertFileExists $unit
    assertExecStartHasArgs $unit @ghostunnel@/bin/ghostunnel
    assertExecStartHasArgs $unit server
    assertExecStartHasArgs $unit --listen 127.0.0.1:8443
    assertExecStartHasArgs $unit --target 127.0.0.1:8080
    assertExecStartHasArgs $unit --allow-all
    assertExecStartHasArgs $unit '--cert=''${CREDENTIALS_DIRECTORY}/cert'
    assertExecStartHasArgs $unit '--key=''${CREDENTIALS_DIRECTORY}/key'
    assertExecStartArgv $unit @ghostunnel@/bin/ghostunnel --disable-landlock server \
      --listen 127.0.0.1:8443 --target 127.0.0.1:8080 --allow-all \
      '--cert=''${CREDENTIALS_DIRECTORY}/cert' '--key=''${CREDENTIALS_DIRECTORY}/key'

    assertLoadCredential $unit cert /run/secrets/cert.pem
    assertLoadCredential $unit key /run/secrets/key.pem

    assertUnitValue $unit Install WantedBy default.target
    assertFileNotRegex $unit 'multi-user\.target'
    assertUnitValue $unit Unit After network.target
    assertUnitValue $unit Unit Wants network.target

    # What a user manager cannot do is left out; what DynamicUser= implies
    # and a user manager can do stays.
    assertUnitNoKey $unit Service DynamicUser
    assertUnitNoKey $unit Service AmbientCapabilities
    assertUnitValue $unit Service NoNewPrivileges true
    assertUnitValue $unit Service RestrictSUIDSGID true

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/tunnel.service
  '';
}
