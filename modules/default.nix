# hmt's home-manager modules. The flake exports this file as
# `homeManagerModules.default`; add it to a home-manager configuration's
# `imports` to get `home.services`.
{
  imports = [ ./home-services ];
}
