# home.serviceManager.configDataFolder moves every service's configData,
# sub-services' too, to another folder under $XDG_CONFIG_HOME; `path`
# follows.
{ pkgs, ... }:
{
  home.serviceManager.configDataFolder = "home-services";

  home.services.web =
    { config, ... }:
    {
      configData."web.conf".text = "port = 8080\n";
      process.argv = [
        "${pkgs.hello}/bin/hello"
        config.configData."web.conf".path
      ];

      services.db =
        { config, ... }:
        {
          configData."db.conf".text = "data = /var/lib/db\n";
          process.argv = [
            "${pkgs.hello}/bin/hello"
            config.configData."db.conf".path
          ];
        };
    };

  nmt.description = "configDataFolder moves configData of services and sub-services";
  nmt.script = ''
    units=home-files/.config/systemd/user

    assertFileContains home-files/.config/home-services/web/web.conf 'port = 8080'
    assertFileContains home-files/.config/home-services/web-db/db.conf 'data = /var/lib/db'
    assertPathNotExists home-files/.config/system-services

    assertExecStartArgv $units/web.service @hello@/bin/hello /home/hm-user/.config/home-services/web/web.conf
    assertExecStartArgv $units/web-db.service @hello@/bin/hello /home/hm-user/.config/home-services/web-db/db.conf

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/web-db.service
    assertUnitVerifies home-files/.config/systemd/user/web.service
  '';
}
