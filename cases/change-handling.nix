# Which trigger a service's configData files go to: a primary unit that can
# reload (ExecReload=) is reloaded, any other is restarted, and
# `onConfigDataChange` forces either.
{ pkgs, ... }:
let
  reload = "${pkgs.coreutils}/bin/kill -HUP $MAINPID";
in
{
  home.services = {
    # ExecReload: reloaded.
    reloads = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      configData."app.conf".text = "reloads\n";
      systemd.service.serviceConfig.ExecReload = reload;
    };

    # No ExecReload: restarted; triggers of the unit's own are kept.
    restarts = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      configData."app.conf".text = "restarts\n";
      systemd.service.restartTriggers = [ "own-trigger" ];
    };

    # Can reload, but told to restart.
    forcedRestart = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      configData."app.conf".text = "forced restart\n";
      systemd.service.serviceConfig.ExecReload = reload;
      onConfigDataChange = "restart";
    };

    # Told to reload; its sub-service decides for itself (auto: restart).
    forcedReload = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      configData."app.conf".text = "forced reload\n";
      onConfigDataChange = "reload";
      services.child = {
        process.argv = [ "${pkgs.hello}/bin/hello" ];
        configData."child.conf".text = "child\n";
      };
    };
  };

  nmt.description = "configData triggers reload units with ExecReload, restart others, as forced";
  nmt.script = ''
    units=home-files/.config/systemd/user
    trigger='/nix/store/[a-z0-9]\{32\}-service-configdata-'

    assertFileRegex $units/reloads.service "^X-Reload-Triggers=''${trigger}app\.conf$"
    assertUnitNoKey $units/reloads.service Unit X-Restart-Triggers

    assertFileRegex $units/restarts.service "^X-Restart-Triggers=''${trigger}app\.conf$"
    assertUnitValue $units/restarts.service Unit X-Restart-Triggers own-trigger
    assertUnitNoKey $units/restarts.service Unit X-Reload-Triggers

    assertFileRegex $units/forcedRestart.service "^X-Restart-Triggers=''${trigger}app\.conf$"
    assertUnitNoKey $units/forcedRestart.service Unit X-Reload-Triggers

    assertFileRegex $units/forcedReload.service "^X-Reload-Triggers=''${trigger}app\.conf$"
    assertUnitNoKey $units/forcedReload.service Unit X-Restart-Triggers

    assertFileRegex $units/forcedReload-child.service "^X-Restart-Triggers=''${trigger}child\.conf$"
    assertUnitNoKey $units/forcedReload-child.service Unit X-Reload-Triggers

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/forcedReload-child.service
    assertUnitVerifies home-files/.config/systemd/user/forcedReload.service
    assertUnitVerifies home-files/.config/systemd/user/forcedRestart.service
    assertUnitVerifies home-files/.config/systemd/user/reloads.service
    assertUnitVerifies home-files/.config/systemd/user/restarts.service
  '';
}
