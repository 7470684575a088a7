# Every NixOS-style unit option with a directive of its own, on the primary
# unit; the whole unit is compared with ./unit-options.service.
{ pkgs, ... }:
{
  home.services.mapped = {
    process.argv = [ "${pkgs.hello}/bin/hello" ];

    systemd.service = {
      description = "Every mapped option";
      documentation = [
        "man:hello(1)"
        "https://www.gnu.org/software/hello/"
      ];
      requires = [ "requires.service" ];
      wants = [ "wants.service" ];
      upholds = [ "upholds.service" ];
      after = [
        "after.service"
        "graphical-session.target"
      ];
      before = [ "before.service" ];
      bindsTo = [ "binds-to.service" ];
      partOf = [ "graphical-session.target" ];
      conflicts = [ "conflicts.service" ];
      requisite = [ "requisite.service" ];
      onFailure = [ "on-failure.service" ];
      onSuccess = [ "on-success.service" ];
      # Both become default.target, once.
      wantedBy = [
        "multi-user.target"
        "default.target"
      ];
      requiredBy = [
        "multi-user.target"
        "graphical-session.target"
      ];
      # A directive given both ways gets both values.
      unitConfig.After = "extra-after.service";
    };
  };

  nmt.description = "all mapped unit options land in [Unit] and [Install]";
  nmt.script = ''
    unit=home-files/.config/systemd/user/mapped.service

    assertUnitValue $unit Unit Description 'Every mapped option'
    assertUnitValue $unit Unit Documentation man:hello\(1\)
    assertUnitValue $unit Unit Requires requires.service
    assertUnitValue $unit Unit Wants wants.service
    assertUnitValue $unit Unit Upholds upholds.service
    assertUnitValue $unit Unit After after.service
    assertUnitValue $unit Unit After extra-after.service
    assertUnitValue $unit Unit Before before.service
    assertUnitValue $unit Unit BindsTo binds-to.service
    assertUnitValue $unit Unit PartOf graphical-session.target
    assertUnitValue $unit Unit Conflicts conflicts.service
    assertUnitValue $unit Unit Requisite requisite.service
    assertUnitValue $unit Unit OnFailure on-failure.service
    assertUnitValue $unit Unit OnSuccess on-success.service
    assertUnitValue $unit Install WantedBy default.target
    assertUnitValue $unit Install RequiredBy default.target
    assertUnitValue $unit Install RequiredBy graphical-session.target
    assertFileNotRegex $unit 'multi-user\.target'
    assertFileContent $unit ${./unit-options.service}

    assertLinkExists home-files/.config/systemd/user/default.target.wants/mapped.service
    assertLinkExists home-files/.config/systemd/user/default.target.requires/mapped.service
    assertLinkExists home-files/.config/systemd/user/graphical-session.target.requires/mapped.service

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/mapped.service
  '';
}
