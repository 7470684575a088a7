# hmt cases for home.services: case name -> home-manager test module.
{
  basic = ./basic.nix;
  configData = ./config-data.nix;
  configDataFolder = ./config-data-folder.nix;
  changeHandling = ./change-handling.nix;
  changeHandlingDefault = ./change-handling-default.nix;
  ghostunnel = ./ghostunnel.nix;
  ghostunnelAssertion = ./ghostunnel-assertion.nix;
  subServices = ./sub-services.nix;
  socket = ./socket.nix;
  passthrough = ./passthrough.nix;
  unitOptions = ./unit-options.nix;
  serviceAssertion = ./service-assertion.nix;
  droppedKeyWarning = ./dropped-key-warning.nix;
  systemOnlySettings = ./system-only-settings.nix;
  wantedByOverride = ./wanted-by-override.nix;
  disabledUnit = ./disabled-unit.nix;
  nameClash = ./name-clash.nix;
  compliance = ./compliance.nix;
}
