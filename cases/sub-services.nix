# Sub-services two levels deep: units and configData folders are named after
# the path in the service tree, joined with dashes.
{ pkgs, ... }:
{
  home.services.web =
    { config, ... }:
    {
      process.argv = [
        "${pkgs.hello}/bin/hello"
        "web"
        config.configData."web.conf".path
      ];
      configData."web.conf".text = "port = 8080\n";

      # A second unit of the same service: web-cache.service.
      systemd.services.cache = {
        description = "Web cache";
        serviceConfig.ExecStart = "${pkgs.hello}/bin/hello cache";
      };

      services.db =
        { config, ... }:
        {
          process.argv = [
            "${pkgs.hello}/bin/hello"
            "db"
            config.configData."db.conf".path
          ];
          configData."db.conf".text = "data = /var/lib/db\n";

          services.backup =
            { config, ... }:
            {
              process.argv = [
                "${pkgs.hello}/bin/hello"
                "backup"
                config.configData."backup.conf".path
              ];
              configData."backup.conf".text = "keep = 7\n";

              systemd.services.prune.serviceConfig = {
                Type = "oneshot";
                ExecStart = "${pkgs.hello}/bin/hello prune";
              };
            };
        };
    };

  nmt.description = "sub-services and their units and configData are dashed under the parent";
  nmt.script = ''
    units=home-files/.config/systemd/user
    data=home-files/.config/system-services

    assertExecStartArgv $units/web.service @hello@/bin/hello web \
      /home/hm-user/.config/system-services/web/web.conf
    assertUnitValue $units/web.service Install WantedBy default.target
    assertFileContains $data/web/web.conf 'port = 8080'

    assertExecStartArgv $units/web-cache.service @hello@/bin/hello cache
    assertUnitValue $units/web-cache.service Unit Description 'Web cache'
    assertUnitNoKey $units/web-cache.service Install WantedBy

    assertExecStartArgv $units/web-db.service @hello@/bin/hello db \
      /home/hm-user/.config/system-services/web-db/db.conf
    assertUnitValue $units/web-db.service Install WantedBy default.target
    assertFileContains $data/web-db/db.conf 'data = /var/lib/db'
    assertFileRegex $units/web-db.service \
      '^X-Restart-Triggers=/nix/store/[a-z0-9]\{32\}-service-configdata-db\.conf$'

    assertExecStartArgv $units/web-db-backup.service @hello@/bin/hello backup \
      /home/hm-user/.config/system-services/web-db-backup/backup.conf
    assertUnitValue $units/web-db-backup.service Install WantedBy default.target
    assertFileContains $data/web-db-backup/backup.conf 'keep = 7'
    assertFileRegex $units/web-db-backup.service \
      '^X-Restart-Triggers=/nix/store/[a-z0-9]\{32\}-service-configdata-backup\.conf$'
    assertFileNotRegex $units/web-db-backup.service 'service-configdata-db\.conf'

    assertExecStartArgv $units/web-db-backup-prune.service @hello@/bin/hello prune
    assertUnitValue $units/web-db-backup-prune.service Service Type oneshot
    assertUnitNoKey $units/web-db-backup-prune.service Install WantedBy

    assertPathNotExists $units/db.service
    assertPathNotExists $units/backup.service
    assertPathNotExists $data/db

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/web-cache.service
    assertUnitVerifies home-files/.config/systemd/user/web-db-backup-prune.service
    assertUnitVerifies home-files/.config/systemd/user/web-db-backup.service
    assertUnitVerifies home-files/.config/systemd/user/web-db.service
    assertUnitVerifies home-files/.config/systemd/user/web.service
  '';
}
