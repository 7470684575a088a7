# Socket units: the primary socket is named after the service and activates
# its primary unit, which is then not started by default.target.
{ pkgs, ... }:
{
  home.services.echo = {
    process.argv = [
      "${pkgs.socat}/bin/socat"
      "ACCEPT-FD:3"
      "STDOUT"
    ];

    systemd.service = {
      wantedBy = [ ];
      requires = [ "echo.socket" ];
    };

    systemd.socket = {
      description = "Echo socket";
      listenStreams = [
        "%t/echo.sock"
        "127.0.0.1:7777"
      ];
      listenDatagrams = [ "127.0.0.1:7778" ];
      wantedBy = [ "sockets.target" ];
      socketConfig = {
        Accept = false;
        SocketMode = "0600";
      };
    };

    # A second socket for the same service: echo-control.socket.
    systemd.sockets.control = {
      listenStreams = [ "%t/echo-control.sock" ];
      wantedBy = [ "sockets.target" ];
      socketConfig.Service = "echo.service";
    };
  };

  nmt.description = "socket-activated service: echo.socket and echo-control.socket";
  nmt.script = ''
    units=home-files/.config/systemd/user

    assertFileExists $units/echo.socket
    assertUnitValue $units/echo.socket Unit Description 'Echo socket'
    assertUnitValue $units/echo.socket Socket ListenStream '%t/echo.sock'
    assertUnitValue $units/echo.socket Socket ListenStream 127.0.0.1:7777
    assertUnitValue $units/echo.socket Socket ListenDatagram 127.0.0.1:7778
    assertUnitValue $units/echo.socket Socket Accept false
    assertUnitValue $units/echo.socket Socket SocketMode 0600
    assertUnitValue $units/echo.socket Install WantedBy sockets.target
    assertLinkExists $units/sockets.target.wants/echo.socket

    assertUnitValue $units/echo-control.socket Socket ListenStream '%t/echo-control.sock'
    assertUnitValue $units/echo-control.socket Socket Service echo.service
    assertLinkExists $units/sockets.target.wants/echo-control.socket

    assertExecStartArgv $units/echo.service @socat@/bin/socat ACCEPT-FD:3 STDOUT
    assertUnitValue $units/echo.service Unit Requires echo.socket
    assertUnitNoKey $units/echo.service Install WantedBy
    assertPathNotExists $units/default.target.wants/echo.service

    # systemd itself accepts every unit.
    assertUnitVerifies home-files/.config/systemd/user/echo.service
    assertUnitVerifies home-files/.config/systemd/user/echo-control.socket
    assertUnitVerifies home-files/.config/systemd/user/echo.socket
  '';
}
