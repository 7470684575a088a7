# The services of tests/integration/user_services.sh: upstream's ghostunnel
# and php-fpm service modules, unchanged, lifted into a user manager by
# home.services, with a stand-in program in place of each binary (the
# stand-in nixpkgs' packages cannot run, and the real ones would need a
# certificate and a PHP application). Built here; run as an unprivileged
# user by modules/home-services/user-manager-test.sh.
#
#   program  the runtime test (compliance.nix's mkTest): starts the user
#            manager on the generation's units and runs `checks`;
#   setup    run as root before the manager starts: writes the secrets the
#            units load as credentials, readable by the user only.
{
  pkgs ? import <nixpkgs> { },
  modulesPath ? <home-manager/modules>,
}:
let
  inherit (pkgs) lib;

  # Both below the test's private /run.
  sharedDir = "/run/hmt-user-services";
  secrets = "/run/hmt-secrets";

  host = import ../../modules/home-services/compliance.nix {
    inherit pkgs modulesPath sharedDir;
  };

  # A program that records what the service manager gave it in
  # SHARED_DIR/NAME.json (its user, working directory, environment, the
  # files its arguments name, its credentials, NoNewPrivs), writes a file
  # into its runtime and state directories, tells a Type=notify manager it
  # is ready, and runs until SIGTERM, which it records too.
  standIn =
    name:
    pkgs.writeScriptBin name ''
      #!${pkgs.python3}/bin/python3
      import json, os, signal, socket, sys

      report_path = os.path.join("${sharedDir}", "${name}.json")

      def read(path):
          with open(path) as file:
              return file.read()

      arguments = sys.argv[1:]
      files = {}
      for index, argument in enumerate(arguments):
          path = None
          if argument.startswith("--") and "=" in argument:
              path = argument.split("=", 1)[1]
          elif argument == "-y" and index + 1 < len(arguments):
              path = arguments[index + 1]
          if path and path.startswith("/"):
              files[path] = read(path)

      credentials_directory = os.environ.get("CREDENTIALS_DIRECTORY")
      credentials = {}
      if credentials_directory:
          for credential in sorted(os.listdir(credentials_directory)):
              credentials[credential] = read(os.path.join(credentials_directory, credential))

      written = {}
      for variable in ("RUNTIME_DIRECTORY", "STATE_DIRECTORY"):
          if os.environ.get(variable):
              path = os.path.join(os.environ[variable], "${name}.written")
              with open(path, "w") as file:
                  file.write("written\n")
              written[variable] = path

      status = dict(
          line.split(":\t", 1) for line in read("/proc/self/status").splitlines() if ":\t" in line
      )

      report = {
          "argv": sys.argv,
          "uid": os.getuid(),
          "cwd": os.getcwd(),
          "environment": {
              variable: os.environ.get(variable)
              for variable in ("CREDENTIALS_DIRECTORY", "RUNTIME_DIRECTORY", "STATE_DIRECTORY",
                               "NOTIFY_SOCKET", "HOME", "XDG_RUNTIME_DIR")
          },
          "files": files,
          "credentials": credentials,
          "written": written,
          "no_new_privs": status.get("NoNewPrivs", "").strip(),
          "stopped": False,
      }

      def save():
          with open(report_path + ".tmp", "w") as file:
              json.dump(report, file, indent=1)
          os.replace(report_path + ".tmp", report_path)

      def stop(signal_number, frame):
          report["stopped"] = True
          save()
          sys.exit(0)

      signal.signal(signal.SIGTERM, stop)
      save()

      notify_socket = os.environ.get("NOTIFY_SOCKET")
      if notify_socket:
          address = "\0" + notify_socket[1:] if notify_socket.startswith("@") else notify_socket
          with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
              notify.connect(address)
              notify.send(b"READY=1")

      while True:
          signal.pause()
    '';

  ghostunnel = {
    imports = [ pkgs.ghostunnel.passthru.services.default ];
    ghostunnel = {
      package = lib.mkForce (standIn "ghostunnel");
      listen = "127.0.0.1:18443";
      target = "127.0.0.1:18080";
      cert = "${secrets}/cert.pem";
      key = "${secrets}/key.pem";
      allowAll = true;
    };
  };

  services = {
    tunnel = ghostunnel;

    # The same, with upstream's DynamicUser= and AmbientCapabilities= kept:
    # started by the checks only, which expect it to fail.
    tunnelKept = {
      imports = [ ghostunnel ];
      systemOnlySettings = "keep";
      systemd.service.wantedBy = lib.mkForce [ ];
    };

    php-fpm = {
      imports = [ pkgs.php.passthru.services.default ];
      php-fpm = {
        package = lib.mkForce (standIn "php-fpm");
        settings.www = {
          listen = "127.0.0.1:19000";
          user = "";
          pm = "static";
          "pm.max_children" = 1;
        };
      };
      # What a NixOS configuration would add: a secret, and state in
      # /var/lib, where the service also works.
      systemd.service.serviceConfig = {
        LoadCredential = [ "token:${secrets}/token" ];
        StateDirectory = "php-fpm";
        WorkingDirectory = "/var/lib/php-fpm";
      };
    };
  };

  # Run as the user, inside the test's namespaces; exits 1 with what
  # failed.
  checks = pkgs.writeScript "hmt-user-services-checks" ''
    #!${pkgs.python3}/bin/python3
    import json, os, subprocess, sys, time

    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)
            print("FAIL: " + message)
        return condition

    def systemctl(*arguments):
        return subprocess.run(["systemctl", "--user", "--no-pager", *arguments],
                              capture_output=True, text=True)

    def properties(unit):
        output = systemctl("show", unit, "-p", "LoadState", "-p", "ActiveState", "-p", "Result",
                           "-p", "ExecMainStatus", "-p", "MainPID").stdout
        return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)

    def report(name):
        path = os.path.join("${sharedDir}", name + ".json")
        if not os.path.exists(path):
            return None
        with open(path) as file:
            return json.load(file)

    # The stand-in's report once UNIT is active and its program runs (a
    # Type=simple unit is active before its program is executed), or None.
    def running(unit, name, seconds=30):
        for _ in range(seconds * 10):
            if systemctl("is-active", unit).stdout.strip() == "active" and report(name):
                return report(name)
            time.sleep(0.1)
        check(False, "%s did not reach active with its program running: %s" % (unit, properties(unit)))
        return None

    def secret(name):
        with open(os.path.join("${secrets}", name)) as file:
            return file.read()

    uid = os.getuid()
    runtime = os.environ["XDG_RUNTIME_DIR"]
    home = os.environ["HOME"]
    check(uid != 0, "the checks should run as the unprivileged user, not root")
    summary = []

    # ghostunnel: credentials read through $CREDENTIALS_DIRECTORY.
    tunnel = running("tunnel.service", "ghostunnel")
    if tunnel:
        credentials = tunnel.get("environment", {}).get("CREDENTIALS_DIRECTORY") or ""
        check(tunnel.get("uid") == uid, "tunnel.service runs as uid %s, not %d" % (tunnel.get("uid"), uid))
        check(credentials.startswith(runtime + "/"), "tunnel.service's $CREDENTIALS_DIRECTORY %r is not below %s" % (credentials, runtime))
        check(tunnel.get("credentials") == {"cert": secret("cert.pem"), "key": secret("key.pem")},
              "tunnel.service's credentials differ from the secrets: %s" % tunnel.get("credentials"))
        for flag, name in (("--cert", "cert"), ("--key", "key")):
            path = credentials + "/" + name
            check(flag + "=" + path in tunnel.get("argv", []), "tunnel.service's command line lacks %s=%s: %s" % (flag, path, tunnel.get("argv")))
            check(tunnel.get("files", {}).get(path) == secret(name + ".pem"), "tunnel.service could not read %s" % path)
        check(tunnel.get("no_new_privs") == "1", "tunnel.service runs without NoNewPrivileges=, which DynamicUser= implies")
        summary.append("tunnel.service active as uid %d, cert and key read at %s" % (uid, credentials))

    # php-fpm: Type=notify, its credential, runtime and state directories.
    php = running("php-fpm.service", "php-fpm")
    if php:
        environment = php.get("environment", {})
        state = environment.get("STATE_DIRECTORY") or ""
        check(php.get("uid") == uid, "php-fpm.service runs as uid %s, not %d" % (php.get("uid"), uid))
        check(php.get("credentials") == {"token": secret("token")}, "php-fpm.service's credentials differ: %s" % php.get("credentials"))
        check(environment.get("RUNTIME_DIRECTORY") == runtime + "/php-fpm", "php-fpm.service's $RUNTIME_DIRECTORY is %r" % environment.get("RUNTIME_DIRECTORY"))
        check(state.startswith(home + "/") and state.endswith("/php-fpm"), "php-fpm.service's $STATE_DIRECTORY %r is not below %s" % (state, home))
        check(os.path.realpath(php.get("cwd", "")) == os.path.realpath(state), "php-fpm.service runs in %r, not in its state directory %r" % (php.get("cwd"), state))
        for variable, path in php.get("written", {}).items():
            check(os.path.exists(path), "php-fpm.service's file in $%s is gone" % variable)
        check(len(php.get("written", {})) == 2, "php-fpm.service did not write into both directories: %s" % php.get("written"))
        check(any("127.0.0.1:19000" in text for text in php.get("files", {}).values()), "php-fpm.service did not read its configuration")
        summary.append("php-fpm.service active (Type=notify), token read at %s, state in %s" % (environment.get("CREDENTIALS_DIRECTORY"), state))

    # Upstream's unit as it is: refused at load (systemd >= 256) or failing
    # at start, its program never running (Type=simple: the start job
    # itself succeeds before the exec fails).
    systemctl("start", "tunnelKept.service")
    outcome = None
    for _ in range(100):
        kept = properties("tunnelKept.service")
        if kept.get("LoadState") == "bad-setting":
            outcome = "refused at load (LoadState=bad-setting)"
        elif kept.get("ExecMainStatus") in ("216", "217", "218"):
            outcome = "failed at start (exit status %s)" % kept["ExecMainStatus"]
        if outcome:
            break
        time.sleep(0.1)
    check(outcome is not None, "tunnelKept.service, with DynamicUser= and AmbientCapabilities=, did not fail as expected: %s" % kept)
    systemctl("stop", "tunnelKept.service")
    if outcome:
        summary.append("upstream's unit as it is: " + outcome)

    # Both stop cleanly.
    stopped = systemctl("stop", "tunnel.service", "php-fpm.service")
    check(stopped.returncode == 0, "stopping failed: " + stopped.stderr)
    for unit, name, started in (("tunnel.service", "ghostunnel", tunnel), ("php-fpm.service", "php-fpm", php)):
        if started:
            state = properties(unit)
            check(state.get("ActiveState") == "inactive" and state.get("Result") == "success", "%s did not stop cleanly: %s" % (unit, state))
            check((report(name) or {}).get("stopped") is True, "%s's program did not get SIGTERM" % unit)

    if failures:
        sys.exit(1)
    for line in summary + ["both stopped cleanly"]:
        print("ok: " + line)
  '';
in
{
  program = host.mkTest {
    name = "hmt-user-services";
    inherit services;
    testExe = checks;
  };

  setup = pkgs.writeShellScript "hmt-user-services-setup" ''
    set -eu
    ${pkgs.coreutils}/bin/mkdir -m 0700 ${secrets}
    for name in cert.pem key.pem token; do
      echo "$name of $(${pkgs.coreutils}/bin/date +%s%N)" >${secrets}/$name
    done
    ${pkgs.coreutils}/bin/chmod 0600 ${secrets}/*
    ${pkgs.coreutils}/bin/chown -R "$HMT_USER_MANAGER_UID:$HMT_USER_MANAGER_GID" ${secrets}
  '';
}
