# A unit with `enable = false` is not generated.
{ pkgs, ... }:
{
  home.services.partial = {
    process.argv = [ "${pkgs.hello}/bin/hello" ];
    systemd.services.helper = {
      enable = false;
      serviceConfig.ExecStart = "${pkgs.hello}/bin/hello helper";
    };
    systemd.sockets."" = {
      enable = false;
      listenStreams = [ "%t/partial.sock" ];
    };
  };

  nmt.description = "disabled units are left out";
  nmt.script = ''
    units=home-files/.config/systemd/user

    assertFileExists $units/partial.service
    assertPathNotExists $units/partial-helper.service
    assertPathNotExists $units/partial.socket

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/partial.service
  '';
}
