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

  nmt.description = "ghostunnel's own assertion fails as home.services.tunnel";
}
