# environment, unitConfig and serviceConfig reach the unit: environment as
# Environment= entries, the others directive by directive.
{ pkgs, ... }:
{
  home.services.app = {
    process.argv = [ "${pkgs.hello}/bin/hello" ];

    systemd.service = {
      environment = {
        LANG = "C.UTF-8";
        GREETING = "hello world";
        HELLO_HOME = pkgs.hello;
        UNSET = null;
      };

      unitConfig = {
        StartLimitIntervalSec = 30;
        StartLimitBurst = 3;
        ConditionPathExists = "%h/.config/app";
      };

      serviceConfig = {
        # Overrides upstream's defaults (mkDefault).
        Restart = "on-failure";
        RestartSec = "10";
        Type = "exec";
        MemoryMax = "512M";
        NoNewPrivileges = true;
        Nice = 5;
        Environment = "EXTRA=1";
        ExecStartPre = [
          "${pkgs.hello}/bin/hello --pre"
          "-${pkgs.hello}/bin/hello --optional"
        ];
        ExecStartPost = "${pkgs.hello}/bin/hello --started";
      };
    };
  };

  nmt.description = "environment, unitConfig and serviceConfig pass through";
  nmt.script = ''
    unit=home-files/.config/systemd/user/app.service

    assertUnitValue $unit Service Environment LANG=C.UTF-8
    assertUnitValue $unit Service Environment '"GREETING=hello world"'
    assertUnitValue $unit Service Environment HELLO_HOME=@hello@
    assertUnitValue $unit Service Environment EXTRA=1
    assertFileNotRegex $unit 'UNSET'

    assertUnitValue $unit Unit StartLimitIntervalSec 30
    assertUnitValue $unit Unit StartLimitBurst 3
    assertUnitValue $unit Unit ConditionPathExists '%h/.config/app'

    assertUnitValue $unit Service Restart on-failure
    assertUnitValue $unit Service RestartSec 10
    assertUnitValue $unit Service Type exec
    assertUnitValue $unit Service MemoryMax 512M
    assertUnitValue $unit Service NoNewPrivileges true
    assertUnitValue $unit Service Nice 5
    assertUnitValue $unit Service ExecStartPre '@hello@/bin/hello --pre'
    assertUnitValue $unit Service ExecStartPre '-@hello@/bin/hello --optional'
    assertUnitValue $unit Service ExecStartPost '@hello@/bin/hello --started'
    assertExecStartArgv $unit @hello@/bin/hello
    assertFileNotRegex $unit '^Restart=always$'

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/app.service
  '';
}
