# Dashed names can meet: the service `a-b` and the sub-service `b` of `a`
# would both be a-b.service. That is an assertion failure, not a silent
# merge.
{ pkgs, ... }:
{
  home.services = {
    a-b.process.argv = [ "${pkgs.hello}/bin/hello" "one" ];
    a = {
      process.argv = [ "${pkgs.hello}/bin/hello" "two" ];
      services.b.process.argv = [ "${pkgs.hello}/bin/hello" "three" ];
    };
  };

  test.asserts.assertions.expected = [
    "home.services: the unit a-b.service is defined more than once, by home.services.a.services.b.systemd.services.\"\" and home.services.a-b.systemd.services.\"\"; rename one of the services or units."
  ];

  nmt.description = "clashing unit names fail an assertion";
}
