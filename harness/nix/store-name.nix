# A case name made fit for a store path: [A-Za-z0-9+._?=-] stay, runs of
# anything else become '-'.
name:
builtins.concatStringsSep "-" (
  builtins.filter builtins.isString (builtins.split "[^A-Za-z0-9+._?=-]+" name)
)
