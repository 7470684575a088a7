# A service module's assertion becomes a home-manager assertion, prefixed
# with the service's option path; option references in the message show
# the full path too.
{ pkgs, ... }:
{
  home.services.tunnel = {
    imports = [ pkgs.ghostunnel.passthru.services.default ];
    ghostunnel = {
      listen = "127.0.0.1:8443";
      target = "127.0.0.1:8080";
      cert = "/run/secrets/cert.pem";
      key = "/run/secrets/key.pem";
    };
  };

  test.asserts.assertions.expected = [
    ''
      home.services.tunnel: At least one access control flag is required.
      Set at least one of:
        - home.services.tunnel.ghostunnel.disableAuthentication
        - home.services.tunnel.ghostunnel.allowAll
        - home.services.tunnel.ghostunnel.allowCN
        - home.services.tunnel.ghostunnel.allowOU
        - home.services.tunnel.ghostunnel.allowDNS
        - home.services.tunnel.ghostunnel.allowURI
    ''
  ];

  # The warning of the ghostunnel case: the assertion does not hide it.
  test.asserts.warnings.expected = [
    (
      "home.services.tunnel: adapted for the user's systemd, which cannot honour these settings of a system service:\n"
      + "- `AmbientCapabilities=` in tunnel.service: left out. Why: an unprivileged manager has no capabilities to grant; the unit fails at start (218/CAPABILITIES).\n"
      + "- `DynamicUser=` in tunnel.service: left out; `NoNewPrivileges=yes` and `RestrictSUIDSGID=yes`, which it implies, are set unless the unit sets them. Why: systemd 256 and later refuse to load a user unit with it; before, an unprivileged manager cannot allocate a user and the unit fails at start (217/USER).\n"
      + "Set `home.services.tunnel.systemOnlySettings = \"keep\"` to keep them as they are."
    )
  ];

  nmt.description = "ghostunnel's own assertion fails as home.services.tunnel";
}
