# A unit that home-manager writes happily but systemd rejects: an unknown
# restart policy, a misspelt directive and a program that does not exist.
# assertUnitVerifies must fail with systemd's own complaints.
{ pkgs, ... }:
{
  home.services.broken = {
    process.argv = [ "${pkgs.hello}/bin/hello" ];
    systemd.service.serviceConfig = {
      Restart = "sometimes";
      RestartSecs = 5;
      ExecReload = "/nix/store/00000000000000000000000000000000-missing/bin/reload";
    };
  };

  nmt.description = "systemd rejects this unit";
  nmt.script = ''
    assertUnitVerifies home-files/.config/systemd/user/broken.service
  '';
}
