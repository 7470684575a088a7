# A service that only sets process.argv: it becomes a user unit named after
# the service, with argv as ExecStart and upstream's defaults.
{ pkgs, ... }:
{
  home.services.hello.process.argv = [
    "${pkgs.hello}/bin/hello"
    "--greeting"
    "hi there"
  ];

  nmt.description = "process.argv-only service becomes hello.service";
  nmt.script = ''
    unit=home-files/.config/systemd/user/hello.service

    assertFileExists $unit
    assertExecStartArgv $unit @hello@/bin/hello --greeting 'hi there'
    assertUnitValue $unit Install WantedBy default.target
    assertUnitValue $unit Service Restart always
    assertUnitValue $unit Service RestartSec 5
    assertUnitValue $unit Service Type simple
    assertFileContent $unit ${./basic.service}

    assertLinkExists home-files/.config/systemd/user/default.target.wants/hello.service
    assertPathNotExists home-files/.config/system-services

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/hello.service
  '';
}
