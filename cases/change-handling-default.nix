# home.serviceManager.onConfigDataChange is every service's default (here
# "reload", as home-manager's own home.services does); a service's own
# setting wins.
{ pkgs, ... }:
{
  home.serviceManager.onConfigDataChange = "reload";

  home.services = {
    follows = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      configData."app.conf".text = "follows\n";
    };
    own = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      configData."app.conf".text = "own\n";
      onConfigDataChange = "auto";
    };
  };

  nmt.description = "onConfigDataChange of home.serviceManager is the default of every service";
  nmt.script = ''
    units=home-files/.config/systemd/user

    assertFileRegex $units/follows.service '^X-Reload-Triggers=/nix/store/.*-service-configdata-app\.conf$'
    assertUnitNoKey $units/follows.service Unit X-Restart-Triggers
    assertFileRegex $units/own.service '^X-Restart-Triggers=/nix/store/.*-service-configdata-app\.conf$'
    assertUnitNoKey $units/own.service Unit X-Reload-Triggers

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/follows.service
    assertUnitVerifies home-files/.config/systemd/user/own.service
  '';
}
