# How a service learns that its configData changed.
#
# home-manager's switch (sd-switch) compares the old and new unit files:
# a unit whose `X-Restart-Triggers=` changed is restarted, one where only
# `X-Reload-Triggers=` changed is reloaded. A reload is only possible where
# the unit says how (`ExecReload=`); systemd refuses to reload any other
# unit, and the new files would then go unnoticed. So by default a unit
# that can reload gets reload triggers and every other unit restart
# triggers.
{ lib }:
let
  isUnset = value: value == null || value == "" || value == [ ] || value == [ "" ];
in
{
  type = lib.types.enum [
    "auto"
    "reload"
    "restart"
  ];

  valuesText = ''
    `"auto"` reloads the unit if it has `ExecReload=` (in
    `serviceConfig`) and restarts it otherwise; `"reload"` always reloads it
    (`X-Reload-Triggers=`), which only works when the unit has
    `ExecReload=`; `"restart"` always restarts it (`X-Restart-Triggers=`).
  '';

  # "auto" | "reload" | "restart" and the evaluated primary unit ->
  # "reloadTriggers" or "restartTriggers", the unit option that takes the
  # configData files.
  triggerOption =
    mode: unit:
    let
      canReload = !isUnset (unit.serviceConfig.ExecReload or null);
    in
    if mode == "reload" || (mode == "auto" && canReload) then "reloadTriggers" else "restartTriggers";
}
