# How home.services names things.
#
# A service is identified by its path in the service tree: its attribute
# name under `home.services` followed by the names of the sub-services
# leading to it, e.g. `[ "web" "db" ]` for `home.services.web.services.db`.
# Unit names and configData folders join that path with dashes.
{ lib }:
let
  # [ "web" "db" ] -> "web-db"
  servicePrefix = servicePath: lib.concatStringsSep "-" servicePath;
in
{
  inherit servicePrefix;

  # The unit key "" is the service's primary unit and takes the prefix as
  # its name; any other key is appended: [ "web" ] "cache" -> "web-cache".
  unitName =
    servicePath: unitKey: servicePrefix (servicePath ++ lib.optional (unitKey != "") unitKey);

  # [ "web" "db" ] -> [ "home" "services" "web" "services" "db" ], the
  # option path shown in messages.
  optionPath =
    servicePath:
    [
      "home"
      "services"
      (lib.head servicePath)
    ]
    ++ lib.concatMap (sub: [
      "services"
      sub
    ]) (lib.tail servicePath);

  # Where a configData entry lives, relative to $XDG_CONFIG_HOME, for the
  # folder `home.serviceManager.configDataFolder`:
  # "system-services" [ "web" "db" ] "app.conf" -> "system-services/web-db/app.conf".
  configDataTarget =
    folder: servicePath: entryName: "${folder}/${servicePrefix servicePath}/${entryName}";
}
