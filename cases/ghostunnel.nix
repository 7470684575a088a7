# nixpkgs' ghostunnel service module, imported unchanged: its credentials and
# command line reach the user unit.
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

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/tunnel.service
  '';
}
