#include "harness/cache/script_inputs.h"

#include "tests/catch.h"

using namespace hmt;

TEST_CASE("a script's absolute paths outside the store are its inputs, each once and sorted") {
  const std::string script =
      "assertFileContent home-files/a.conf /src/expected/a.conf\n"
      "assertFileContent home-files/b.conf \"/src/expected/b.conf\"\n"
      "cat /src/expected/a.conf; x=/etc/hosts:/opt/list\n"
      "assertFileContent home-files/c ${./c}\n";
  CHECK(script_inputs(script, "/nix/store") ==
        std::vector<std::string>{"/etc/hosts", "/opt/list", "/src/expected/a.conf", "/src/expected/b.conf"});
}

TEST_CASE("store paths, pseudo files and relative paths are not inputs") {
  const std::string script =
      "assertFileContent home-files/a /nix/store/abc-expected.conf\n"
      "diff <(cat /dev/fd/3) /proc/self/status /sys/x\n"
      "assertFileExists home-files/.config/app/app.conf\n";
  CHECK(script_inputs(script, "/nix/store").empty());
  // Another store folder is honoured.
  CHECK(script_inputs("cat /gnu/store/x /nix/store/y", "/gnu/store") == std::vector<std::string>{"/nix/store/y"});
}

TEST_CASE("a path is cut where shell syntax starts and normalised") {
  CHECK(script_inputs("cat '/src/a/./b/'|wc", "/nix/store") == std::vector<std::string>{"/src/a/b"});
  CHECK(script_inputs("echo $HOME/x", "/nix/store").empty());
  CHECK(script_inputs("a/b/c", "/nix/store").empty());
}
