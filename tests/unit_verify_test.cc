#include "tests/catch.h"

#include <fmt/format.h>

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "assertions/assertion.h"
#include "assertions/unit_verify.h"
#include "fake_process_runner.h"
#include "process/process.h"
#include "tests/unit_tree_fixture.h"

namespace fs = std::filesystem;
using hmt::AssertionResult;
using hmt::Status;
using hmt::testing::exited;
using hmt::testing::FakeProcessRunner;
using hmt::testing::TestedTree;

namespace {

const std::string kUnitPath = "home-files/.config/systemd/user/hello.service";

AssertionResult verify(const TestedTree& tree, const std::string& unit = kUnitPath) {
  return tree.run("assertUnitVerifies", {unit});
}

// Answers like systemd-analyze would, printing `err` about the unit it was
// given (UNIT in `err` stands for the path it received).
FakeProcessRunner analyze_answering(int code, std::string err) {
  return FakeProcessRunner([code, err](const hmt::ProcessSpec& spec) {
    std::string text = err;
    const std::string& unit = spec.argv.back();
    for (auto at = text.find("UNIT"); at != std::string::npos; at = text.find("UNIT", at + unit.size()))
      text.replace(at, 4, unit);
    return exited(code, "", text);
  });
}

const std::string kHelloUnit =
    "[Service]\nExecStart=\"@hello@/bin/hello\" \"--greeting\" \"hi\"\nFoo=bar\n";

}  // namespace

TEST_CASE("placeholders become paths below a root, and what they name is collected") {
  std::set<std::string> needed;
  const std::string text = hmt::resolve_placeholders(
      "ExecStart=\"@hello@/bin/hello\" --x\nExecReload=@coreutils@/bin/kill -HUP $MAINPID\n"
      "Environment=PATH=@git@/bin:@jq@/bin\nUser=me@host\nWants=a@b.service\n",
      "/r", needed);
  CHECK(text ==
        "ExecStart=\"/r/hello/bin/hello\" --x\nExecReload=/r/coreutils/bin/kill -HUP $MAINPID\n"
        "Environment=PATH=/r/git/bin:/r/jq/bin\nUser=me@host\nWants=a@b.service\n");
  CHECK(needed == std::set<std::string>{"hello/bin/hello", "coreutils/bin/kill", "git/bin", "jq/bin"});
}

TEST_CASE("placeholder targets: executables, and folders where other paths lie inside") {
  TestedTree tree;
  const fs::path root = tree.context.tested / "placeholders";
  hmt::create_placeholder_targets(root, {"hello", "hello/bin/hello", "git/bin", "git/bin/git", "../escape"});
  CHECK(fs::is_directory(root / "hello"));
  CHECK(fs::is_regular_file(root / "hello/bin/hello"));
  CHECK((fs::status(root / "hello/bin/hello").permissions() & fs::perms::owner_exec) != fs::perms::none);
  CHECK(fs::is_directory(root / "git/bin"));
  CHECK(fs::is_regular_file(root / "git/bin/git"));
  CHECK_FALSE(fs::exists(tree.context.tested / "escape"));
}

TEST_CASE("systemd-analyze's lines about the unit become complaints with their line") {
  const auto complaints = hmt::parse_verify_output(
      "u/hello.service:3: Unknown key 'Foo' in section [Service], ignoring.\n"
      "hello.service: Command /x is not executable: No such file or directory\n"
      "other.service: about another unit\n"
      "Failed to lookup something unrelated\n",
      "u/hello.service", "hello.service");
  REQUIRE(complaints.size() == 2);
  CHECK(complaints[0].line == 3);
  CHECK(complaints[0].text == "Unknown key 'Foo' in section [Service], ignoring.");
  CHECK(complaints[1].line == 0);
  CHECK(complaints[1].text == "Command /x is not executable: No such file or directory");
}

TEST_CASE("assertUnitVerifies runs systemd-analyze on a copy with placeholders resolved") {
  TestedTree tree;
  tree.write(kUnitPath, kHelloUnit);
  tree.write("home-files/.config/systemd/user/hello.socket", "[Socket]\nListenStream=%t/x\n");
  fs::path copied_root;
  FakeProcessRunner runner([&](const hmt::ProcessSpec& spec) {
    const fs::path copy = spec.argv.back();
    copied_root = copy.parent_path().parent_path();
    std::ifstream in(copy);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const fs::path program = copied_root / "placeholders/hello/bin/hello";
    CHECK(text.find(program.string()) != std::string::npos);
    CHECK(fs::is_regular_file(program));
    CHECK(fs::is_regular_file(copy.parent_path() / "hello.socket"));  // siblings come along
    CHECK(spec.env.at("XDG_RUNTIME_DIR").starts_with(copied_root.string()));
    return exited(0);
  });
  tree.context.processes = &runner;

  const AssertionResult result = verify(tree);
  CHECK(result.status == Status::Pass);
  const auto calls = runner.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].argv[0] == "systemd-analyze");
  CHECK(std::find(calls[0].argv.begin(), calls[0].argv.end(), "--user") != calls[0].argv.end());
  CHECK(calls[0].timeout.has_value());
  CHECK_FALSE(fs::exists(copied_root));  // the scratch folder is gone
}

TEST_CASE("each complaint fails the assertion, with its line and the tested path") {
  TestedTree tree;
  tree.write(kUnitPath, kHelloUnit);
  auto runner = analyze_answering(1,
                                  "UNIT:3: Unknown key 'Foo' in section [Service], ignoring.\n"
                                  "hello.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. "
                                  "Refusing.\n");
  tree.context.processes = &runner;
  const AssertionResult result = verify(tree);
  CHECK(result.status == Status::Fail);
  CHECK(result.message.find("2 complaints") != std::string::npos);
  CHECK(result.message.find("line 3: Unknown key 'Foo'") != std::string::npos);
  CHECK(result.actual ==
        "line 3: Unknown key 'Foo' in section [Service], ignoring.\n"
        "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.");
}

TEST_CASE("placeholder paths in systemd's messages are written as placeholders") {
  TestedTree tree;
  tree.write(kUnitPath, "[Service]\nExecStart=@hello@/bin/hello\n");
  FakeProcessRunner runner([](const hmt::ProcessSpec& spec) {
    const fs::path root = fs::path(spec.argv.back()).parent_path().parent_path();
    return exited(1, "", fmt::format("hello.service: Command {}/placeholders/hello/bin/hello is bad\n",
                                     root.string()));
  });
  tree.context.processes = &runner;
  const AssertionResult result = verify(tree);
  CHECK(result.status == Status::Fail);
  CHECK(result.actual == "Command @hello@/bin/hello is bad");
}

TEST_CASE("a failure that names no unit is an error showing systemd's output") {
  TestedTree tree;
  tree.write(kUnitPath, kHelloUnit);
  auto runner = analyze_answering(1, "Failed to initialize manager: No such device or address\n");
  tree.context.processes = &runner;
  const AssertionResult result = verify(tree);
  CHECK(result.status == Status::Error);
  CHECK(result.actual.value_or("").find("Failed to initialize manager") != std::string::npos);
}

TEST_CASE("without a usable systemd-analyze the assertion is skipped with the reason") {
  TestedTree tree;
  tree.write(kUnitPath, kHelloUnit);
  SECTION("not installed") {
    FakeProcessRunner runner([](const hmt::ProcessSpec&) {
      hmt::ProcessResult r;
      r.outcome = hmt::ProcessResult::Outcome::FailedToStart;
      r.error = "systemd-analyze: not found on PATH";
      return r;
    });
    tree.context.processes = &runner;
    const AssertionResult result = verify(tree);
    CHECK(result.status == Status::Skip);
    CHECK(result.message.find("Debian's systemd package") != std::string::npos);
  }
  SECTION("a stub that exits 127") {
    auto runner = analyze_answering(127, "systemd-analyze: stub, not the real program\n");
    tree.context.processes = &runner;
    const AssertionResult result = verify(tree);
    CHECK(result.status == Status::Skip);
    CHECK(result.message.find("stub, not the real program") != std::string::npos);
  }
}

TEST_CASE("a hung systemd-analyze is an error, a missing unit a failure") {
  TestedTree tree;
  tree.write(kUnitPath, kHelloUnit);
  FakeProcessRunner runner([](const hmt::ProcessSpec&) { return hmt::testing::timed_out(); });
  tree.context.processes = &runner;
  CHECK(verify(tree).status == Status::Error);
  const AssertionResult missing = verify(tree, "home-files/.config/systemd/user/none.service");
  CHECK(missing.status == Status::Fail);
  CHECK(missing.message == "unit file home-files/.config/systemd/user/none.service not found");
  CHECK(verify(tree, "../outside.service").status == Status::Error);
}

// The real systemd-analyze, where there is one; ctest counts exit 77 as
// a skip (each test case runs in a process of its own).
TEST_CASE("real systemd-analyze: a good unit passes, a bad one fails with systemd's message") {
  if (hmt::find_on_path("systemd-analyze").empty()) {
    std::cout << "SKIP: systemd-analyze is not installed (Debian package systemd)" << std::endl;
    std::exit(77);
  }
  TestedTree tree;
  tree.write(kUnitPath, "[Service]\nExecStart=\"@hello@/bin/hello\" \"--greeting\" \"hi\"\n"
                        "[Install]\nWantedBy=default.target\n");
  tree.write("home-files/.config/systemd/user/bad.service",
             "[Service]\nExecStart=@hello@/bin/hello\nRestart=sometimes\n");
  tree.write("home-files/.config/systemd/user/missing.service",
             "[Service]\nExecStart=/nix/store/00000000000000000000000000000000-none/bin/none\n");

  const AssertionResult good = verify(tree);
  INFO(good.message << "\n" << good.actual.value_or(""));
  CHECK(good.status == Status::Pass);

  const AssertionResult bad = verify(tree, "home-files/.config/systemd/user/bad.service");
  CHECK(bad.status == Status::Fail);
  // systemd 252: "Failed to parse service restart specifier, ignoring:
  // sometimes"; 257: "Failed to parse Restart=sometimes, ignoring: ...".
  CHECK(bad.message.find("line 3: Failed to parse ") != std::string::npos);
  CHECK(bad.message.find("sometimes") != std::string::npos);

  const AssertionResult missing = verify(tree, "home-files/.config/systemd/user/missing.service");
  CHECK(missing.status == Status::Fail);
  CHECK(missing.message.find("is not executable") != std::string::npos);
}
