#include "assertions/nmt_shell.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "tests/catch.h"

namespace {

// Runs `body` in bash after the functions; gives its stdout and stderr.
std::string run_bash(const std::string& body) {
  const auto dir = std::filesystem::temp_directory_path() / ("hmt-nmt-shell-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "script.bash") << hmt::nmt_shell_functions() << "\ncd " << dir.string() << "\n" << body;
  const std::string command = "TESTED=/tested bash " + (dir / "script.bash").string() + " 2>&1; echo \"status=$?\"";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), &::pclose);
  std::string out;
  char buffer[256];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe.get())) out += buffer;
  std::filesystem::remove_all(dir);
  return out;
}

}  // namespace

TEST_CASE("_abs puts relative paths under $TESTED and leaves absolute ones") {
  CHECK(run_bash("_abs home-files/x; _abs /etc/x\n") == "/tested/home-files/x\n/etc/x\nstatus=0\n");
}

TEST_CASE("substitute replaces literally, keeps trailing newlines, and knows stdenv's flags") {
  const std::string out = run_bash(R"sh(printf 'a*b @NAME@ &\n\n' > in
NAME='x&y'
substitute in out --replace-fail 'a*b' 'c' --subst-var NAME --subst-var-by missing unused --replace '&' AND
cat out; printf '|\n'
)sh");
  // Replacements apply in order, each to the result of the one before.
  CHECK(out == "c xANDy AND\n\n|\nstatus=0\n");
}

TEST_CASE("substitute fails on a missing pattern with --replace-fail, an unset variable or a missing file") {
  CHECK_THAT(run_bash("printf 'a\\n' > f\nsubstituteInPlace f --replace-fail zzz y\n"),
             hmt::testing::Contains("pattern zzz not found") && hmt::testing::EndsWith("status=1\n"));
  CHECK_THAT(run_bash("printf 'a\\n' > f\nunset NOPE\nsubstitute f g --subst-var NOPE\n"),
             hmt::testing::Contains("variable NOPE is unset") && hmt::testing::EndsWith("status=1\n"));
  CHECK_THAT(run_bash("substitute absent g --replace a b\n"),
             hmt::testing::Contains("does not exist") && hmt::testing::EndsWith("status=1\n"));
  CHECK_THAT(run_bash("printf 'a\\n' > f\nsubstituteInPlace f --replace zzz y; cat f\n"),
             hmt::testing::Contains("warning: pattern zzz not found") && hmt::testing::EndsWith("a\nstatus=0\n"));
}
