# Unit settings without a home-manager equivalent are not dropped silently:
# each one is a warning naming the service, the unit and the setting.
# Service warnings surface with the service's option path as well.
{ pkgs, ... }:
{
  home.services.legacy = {
    process.argv = [ "${pkgs.hello}/bin/hello" ];
    warnings = [ "legacy is deprecated" ];

    systemd.service = {
      script = "echo hello";
      startAt = "daily";
      # Mapped settings next to them still work.
      serviceConfig.Nice = 10;
    };

    systemd.sockets.control = {
      listenStreams = [ "%t/legacy.sock" ];
      # A socket without a service of its own name activates this one.
      socketConfig.Service = "legacy.service";
      serviceConfig.Type = "simple";
    };

    services.worker = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      systemd.service.path = [ pkgs.hello ];
    };
  };

  test.asserts.warnings.expected = [
    "home.services.legacy: legacy is deprecated"
    "home.services.legacy: `systemd.services.\"\".script` of legacy.service has no home-manager equivalent and is ignored; set the systemd directive through `serviceConfig` or `unitConfig` instead."
    "home.services.legacy: `systemd.services.\"\".startAt` of legacy.service has no home-manager equivalent and is ignored; set the systemd directive through `serviceConfig` or `unitConfig` instead."
    "home.services.legacy: `systemd.sockets.control.serviceConfig` of legacy-control.socket has no home-manager equivalent and is ignored; set the systemd directive through `socketConfig` or `unitConfig` instead."
    "home.services.legacy.services.worker: `systemd.services.\"\".path` of legacy-worker.service has no home-manager equivalent and is ignored; set the systemd directive through `serviceConfig` or `unitConfig` instead."
  ];

  nmt.description = "unmapped unit settings raise warnings";
  nmt.script = ''
    units=home-files/.config/systemd/user

    assertUnitValue $units/legacy.service Service Nice 10
    assertFileNotRegex $units/legacy.service 'echo hello'
    assertFileNotRegex $units/legacy.service 'daily'
    assertUnitValue $units/legacy-control.socket Socket ListenStream '%t/legacy.sock'
    assertUnitNoKey $units/legacy-control.socket Service Type
    assertFileExists $units/legacy-worker.service

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/legacy-worker.service
    assertUnitVerifies home-files/.config/systemd/user/legacy.service
    assertUnitVerifies home-files/.config/systemd/user/legacy-control.socket
  '';
}
