# Failing assertions of a service and of its sub-service become home-manager
# assertions naming their option path; passing ones do not show.
{ pkgs, ... }:
{
  home.services.guarded = {
    process.argv = [ "${pkgs.hello}/bin/hello" ];
    assertions = [
      {
        assertion = false;
        message = "a listen address must be configured";
      }
      {
        assertion = true;
        message = "this one holds";
      }
    ];

    services.child = {
      process.argv = [ "${pkgs.hello}/bin/hello" ];
      assertions = [
        {
          assertion = false;
          message = "the child is misconfigured";
        }
      ];
    };
  };

  test.asserts.assertions.expected = [
    "home.services.guarded: a listen address must be configured"
    "home.services.guarded.services.child: the child is misconfigured"
  ];

  nmt.description = "service assertions surface as home-manager assertions";
}
