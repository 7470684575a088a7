# hmt built with CMake; its unit tests run in the check phase. The
# end-to-end and integration tests start nix-build and one test fetches an
# npm package, neither of which a build can do: they are left to
# `scripts/test`.
{
  lib,
  stdenv,
  cmake,
  ninja,
  boost,
  fmt,
  catch2,
  nlohmann_json,
  src,
  version,
}:
stdenv.mkDerivation {
  pname = "hmt";
  inherit version src;

  nativeBuildInputs = [
    cmake
    ninja
  ];
  buildInputs = [
    boost
    fmt
    catch2
    nlohmann_json
  ];

  doCheck = true;
  checkPhase = ''
    runHook preCheck
    ctest --output-on-failure -j "$NIX_BUILD_CORES" --label-exclude "needs-nix|needs-network"
    runHook postCheck
  '';

  meta = {
    description = "Test harness for home-manager modules: Nix builds, native nmt-style assertions, TAP and JUnit reports";
    mainProgram = "hmt";
    license = lib.licenses.mit;
    platforms = lib.platforms.linux;
  };
}
