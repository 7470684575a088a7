# The primary unit's WantedBy=default.target is a default: setting wantedBy
# replaces it, and an empty list leaves the [Install] section out.
{ pkgs, ... }:
{
  home.services = {
    graphical = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      systemd.service.wantedBy = [ "graphical-session.target" ];
    };

    manual = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      systemd.service.wantedBy = [ ];
    };
  };

  nmt.description = "overriding the primary unit's wantedBy";
  nmt.script = ''
    units=home-files/.config/systemd/user

    assertUnitValue $units/graphical.service Install WantedBy graphical-session.target
    assertFileNotRegex $units/graphical.service 'default\.target'
    assertLinkExists $units/graphical-session.target.wants/graphical.service
    assertPathNotExists $units/default.target.wants/graphical.service

    assertFileExists $units/manual.service
    assertUnitNoKey $units/manual.service Install WantedBy
    assertFileNotRegex $units/manual.service '^\[Install\]'
    assertPathNotExists $units/default.target.wants/manual.service

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/graphical.service
    assertUnitVerifies home-files/.config/systemd/user/manual.service
  '';
}
