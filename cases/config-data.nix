# configData entries are linked below $XDG_CONFIG_HOME/system-services/<name>,
# their `path` points there, and they restart the service when they change.
{ pkgs, ... }:
{
  home.services.greeter =
    { config, ... }:
    {
      configData = {
        "greeting.conf".text = ''
          greeting = Hello from configData
        '';
        # Names may contain folders.
        "conf.d/extra.conf".text = "extra = true\n";
        # A file instead of text.
        "static.conf".source = ./config-data-static.conf;
        "disabled.conf" = {
          enable = false;
          text = "never linked";
        };
      };

      process.argv = [
        "${pkgs.hello}/bin/hello"
        "--config"
        config.configData."greeting.conf".path
        "--include"
        config.configData."conf.d/extra.conf".path
      ];
    };

  nmt.description = "configData is linked, its path injected and a restart trigger set";
  nmt.script = ''
    unit=home-files/.config/systemd/user/greeter.service
    data=home-files/.config/system-services/greeter

    assertFileExists $data/greeting.conf
    assertFileContains $data/greeting.conf 'greeting = Hello from configData'
    assertFileContains $data/conf.d/extra.conf 'extra = true'
    assertFileContent $data/static.conf ${./config-data-static.conf}
    assertPathNotExists $data/disabled.conf

    assertExecStartArgv $unit @hello@/bin/hello \
      --config /home/hm-user/.config/system-services/greeter/greeting.conf \
      --include /home/hm-user/.config/system-services/greeter/conf.d/extra.conf

    assertFileRegex $unit \
      '^X-Restart-Triggers=/nix/store/[a-z0-9]\{32\}-service-configdata-greeting\.conf$'
    assertFileRegex $unit \
      '^X-Restart-Triggers=/nix/store/[a-z0-9]\{32\}-service-configdata-conf\.d-extra\.conf$'
    assertFileRegex $unit \
      '^X-Restart-Triggers=/nix/store/[a-z0-9]\{32\}-config-data-static\.conf$'
    assertFileNotRegex $unit 'disabled'

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/greeter.service
  '';
}
