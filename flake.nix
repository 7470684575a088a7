{
  description = "hmt: test home-manager modules with real Nix builds, native nmt-style assertions and TAP/JUnit reports";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
    }:
    let
      inherit (nixpkgs) lib;
      # home.services produces systemd user units: Linux only.
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forEachSystem = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # The program's sources only: editing a case must not rebuild hmt.
      programSource = lib.cleanSourceWith {
        src = lib.cleanSource ./.;
        filter =
          path: _type:
          let
            relative = lib.removePrefix "${toString ./.}/" path;
          in
          !lib.any (dir: relative == dir || lib.hasPrefix "${dir}/" relative) [
            "cases"
            "docs"
            "build"
          ];
      };

      hmtFor =
        pkgs:
        pkgs.callPackage ./package.nix {
          src = programSource;
          version = "0.1.0";
        };
    in
    {
      homeManagerModules.default = ./modules;

      packages = forEachSystem (pkgs: {
        default = hmtFor pkgs;
        hmt = hmtFor pkgs;
      });

      apps = forEachSystem (pkgs: {
        default = {
          type = "app";
          program = lib.getExe self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        };
      });

      checks = forEachSystem (
        pkgs:
        let
          hmt = self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        in
        import ./harness/nix/checks.nix {
          inherit pkgs hmt;
          homeManager = home-manager;
          sources = [ ./cases ];
          defaultModules = [ ./modules ];
        }
        // {
          inherit hmt;
          # nixpkgs' compliance tests for hosts of modular services, eval
          # level (the runtime ones need a user manager: see
          # tests/integration/compliance.sh).
          modularServiceCompliance =
            (import ./modules/home-services/compliance.nix {
              inherit pkgs;
              modulesPath = home-manager + "/modules";
            }).tests.eval;
        }
      );

      devShells = forEachSystem (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ (hmtFor pkgs) ];
          packages = [
            pkgs.nixfmt-rfc-style
            pkgs.clang-tools
            pkgs.gdb
          ];
        };
      });

      formatter = forEachSystem (pkgs: pkgs.nixfmt-rfc-style);
    };
}
