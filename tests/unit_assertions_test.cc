#include "tests/catch.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "assertions/assertion.h"
#include "assertions/unit_cache.h"
#include "tests/unit_tree_fixture.h"

namespace fs = std::filesystem;
using hmt::AssertionResult;
using hmt::Status;
using hmt::testing::TestedTree;

namespace {

const std::string kUnitPath = "home-files/.config/systemd/user/tunnel.service";

const std::string kTunnelUnit = R"([Unit]
Description=TLS tunnel
After=network-online.target
After=graphical-session.target

[Service]
ExecStart="/nix/store/x-ghostunnel/bin/ghostunnel" "--disable-landlock" "server" "--listen" "127.0.0.1:8443" --cert=${CREDENTIALS_DIRECTORY}/cert
LoadCredential=cert:/run/secrets/tunnel-cert
LoadCredential=key:/run/secrets/tunnel-key
LoadCredential=ca
Restart=on-failure
Environment=A=1
Environment=

[Install]
WantedBy=default.target
)";

}  // namespace

TEST_CASE("every unit assertion is in the table with its usage", "[unit_assertions]") {
  std::vector<std::string> names;
  for (const auto& spec : hmt::unit_assertion_specs()) {
    names.emplace_back(spec.name);
    CHECK(spec.usage.substr(0, spec.name.size()) == spec.name);
    CHECK(spec.run != nullptr);
  }
  CHECK(names == std::vector<std::string>{"assertUnitValue", "assertUnitNoKey", "assertExecStartArgv",
                                          "assertExecStartHasArgs", "assertLoadCredential"});
}

TEST_CASE("assertUnitValue", "[unit_assertions]") {
  TestedTree tree;
  tree.write(kUnitPath, kTunnelUnit);

  SECTION("passes on an exact value") {
    const auto result = tree.run("assertUnitValue", {kUnitPath, "Service", "Restart", "on-failure"});
    CHECK(result.status == Status::Pass);
    CHECK(result.file == kUnitPath);
    CHECK(result.message == "unit file " + kUnitPath + " sets Restart=on-failure in [Service] on line 11");
  }
  SECTION("passes on any of a repeated key's values, brackets allowed") {
    CHECK(tree.run("assertUnitValue", {kUnitPath, "[Unit]", "After", "graphical-session.target"}).status ==
          Status::Pass);
  }
  SECTION("fails on a different value, listing the actual ones") {
    const auto result = tree.run("assertUnitValue", {kUnitPath, "Unit", "After", "network.target"});
    CHECK(result.status == Status::Fail);
    CHECK(result.file == kUnitPath);
    CHECK(result.message == "unit file " + kUnitPath + " sets After= in [Unit] but never to 'network.target'");
    CHECK(result.expected == "After=network.target");
    CHECK(result.actual == "After=network-online.target\nAfter=graphical-session.target");
  }
  SECTION("does not match a value partially") {
    CHECK(tree.run("assertUnitValue", {kUnitPath, "Service", "Restart", "on-fail"}).status == Status::Fail);
  }
  SECTION("fails on an absent key") {
    const auto result = tree.run("assertUnitValue", {kUnitPath, "Service", "Type", "simple"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file " + kUnitPath + " has no Type= in [Service]");
  }
  SECTION("fails on an absent section, listing the present ones") {
    const auto result = tree.run("assertUnitValue", {kUnitPath, "Timer", "OnCalendar", "daily"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file " + kUnitPath + " has no [Timer] section");
    CHECK(result.actual == "[Unit]\n[Service]\n[Install]");
  }
  SECTION("fails on a key reset by an empty assignment") {
    const auto result = tree.run("assertUnitValue", {kUnitPath, "Service", "Environment", "A=1"});
    CHECK(result.status == Status::Fail);
    CHECK_THAT(result.message, hmt::testing::Contains("resets Environment= in [Service] on line 13"));
  }
}

TEST_CASE("a missing, malformed or escaping unit path", "[unit_assertions]") {
  TestedTree tree;

  SECTION("a missing unit file fails") {
    const auto result = tree.run("assertUnitValue", {"home-files/none.service", "Unit", "Description", "x"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file home-files/none.service not found");
    CHECK(result.file == "home-files/none.service");
  }
  SECTION("a malformed unit file is an error naming the line") {
    tree.write("bad.service", "[Unit]\nDescription=x\n\nthis is not an assignment\n");
    const auto result = tree.run("assertUnitNoKey", {"bad.service", "Unit", "After"});
    CHECK(result.status == Status::Error);
    CHECK_THAT(result.message, hmt::testing::StartsWith("unit file bad.service is malformed at line 4:"));
    CHECK_THAT(result.actual.value_or(""), hmt::testing::Contains("line 4: "));
  }
  SECTION("a path escaping the tested tree is an error") {
    const auto result = tree.run("assertUnitNoKey", {"../../etc/passwd", "Unit", "After"});
    CHECK(result.status == Status::Error);
    CHECK_FALSE(result.message.empty());
  }
  SECTION("a unit reached through a link out of the tree is refused, naming the link") {
    fs::create_directories(tree.context.tested / "home-files");
    fs::create_symlink("/etc", tree.context.tested / "home-files/etc");
    fs::create_symlink("/", tree.context.tested / "home-files/root");
    const auto etc = tree.run("assertUnitNoKey", {"home-files/etc/passwd", "Unit", "After"});
    CHECK(etc.status == Status::Error);
    CHECK_THAT(etc.message, hmt::testing::Contains("the link 'home-files/etc' points to '/etc'"));
    const auto root = tree.run("assertUnitValue", {"home-files/root/etc/passwd", "Unit", "A", "b"});
    CHECK(root.status == Status::Error);
    CHECK_THAT(root.message, hmt::testing::Contains("the link 'home-files/root' points to '/'"));
  }
  SECTION("a directory is an error") {
    fs::create_directories(tree.context.tested / "home-files");
    CHECK(tree.run("assertUnitNoKey", {"home-files", "Unit", "After"}).status == Status::Error);
  }
  SECTION("a unit reached through a symlink is read") {
    tree.write("store/tunnel.service", kTunnelUnit);
    fs::create_directories(tree.context.tested / "home-files");
    fs::create_symlink(tree.context.tested / "store/tunnel.service", tree.context.tested / "home-files/link.service");
    CHECK(tree.run("assertUnitValue", {"home-files/link.service", "Unit", "Description", "TLS tunnel"}).status ==
          Status::Pass);
  }
}

TEST_CASE("assertUnitNoKey", "[unit_assertions]") {
  TestedTree tree;
  tree.write(kUnitPath, kTunnelUnit);

  SECTION("passes on an absent key or section") {
    const auto result = tree.run("assertUnitNoKey", {kUnitPath, "Service", "DynamicUser"});
    CHECK(result.status == Status::Pass);
    CHECK(result.message == "unit file " + kUnitPath + " sets no DynamicUser= in [Service]");
    CHECK(tree.run("assertUnitNoKey", {kUnitPath, "Timer", "OnCalendar"}).status == Status::Pass);
  }
  SECTION("passes on a key reset by an empty assignment") {
    CHECK(tree.run("assertUnitNoKey", {kUnitPath, "Service", "Environment"}).status == Status::Pass);
  }
  SECTION("fails on a set key, listing its values") {
    const auto result = tree.run("assertUnitNoKey", {kUnitPath, "Install", "WantedBy"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file " + kUnitPath + " sets WantedBy= in [Install] on line 16");
    CHECK(result.actual == "WantedBy=default.target");
  }
}

TEST_CASE("assertExecStartArgv", "[unit_assertions]") {
  TestedTree tree;
  tree.write(kUnitPath, kTunnelUnit);
  const std::vector<std::string> argv = {
      kUnitPath,  "/nix/store/x-ghostunnel/bin/ghostunnel", "--disable-landlock", "server", "--listen",
      "127.0.0.1:8443", "--cert=${CREDENTIALS_DIRECTORY}/cert"};

  SECTION("passes on the exact argv") {
    const auto result = tree.run("assertExecStartArgv", argv);
    CHECK(result.status == Status::Pass);
    CHECK(result.message == "unit file " + kUnitPath + " has the expected 6-word ExecStart= argv on line 7");
  }
  SECTION("fails at the first differing argument") {
    auto changed = argv;
    changed[4] = "--connect";
    const auto result = tree.run("assertExecStartArgv", changed);
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file " + kUnitPath +
                                " has a different ExecStart= argv on line 7: argv[3] is \"--listen\", "
                                "expected \"--connect\"");
    CHECK(result.expected ==
          "\"/nix/store/x-ghostunnel/bin/ghostunnel\"\n\"--disable-landlock\"\n\"server\"\n\"--connect\"\n"
          "\"127.0.0.1:8443\"\n\"--cert=${CREDENTIALS_DIRECTORY}/cert\"");
    CHECK(result.actual ==
          "\"/nix/store/x-ghostunnel/bin/ghostunnel\"\n\"--disable-landlock\"\n\"server\"\n\"--listen\"\n"
          "\"127.0.0.1:8443\"\n\"--cert=${CREDENTIALS_DIRECTORY}/cert\"");
  }
  SECTION("fails when the actual argv is longer") {
    auto shorter = argv;
    shorter.pop_back();
    const auto result = tree.run("assertExecStartArgv", shorter);
    CHECK(result.status == Status::Fail);
    CHECK_THAT(result.message,
               hmt::testing::EndsWith("argv[5] is \"--cert=${CREDENTIALS_DIRECTORY}/cert\", expected the command to end"));
  }
  SECTION("fails when the actual argv is shorter") {
    auto longer = argv;
    longer.push_back("--key=x");
    const auto result = tree.run("assertExecStartArgv", longer);
    CHECK(result.status == Status::Fail);
    CHECK_THAT(result.message, hmt::testing::EndsWith("argv[6] is missing, expected \"--key=x\""));
  }
  SECTION("ignores prefixes and a reset earlier assignment") {
    tree.write("u.service", "[Service]\nExecStart=/bin/old\nExecStart=\nExecStart=-@/bin/tool tool --flag\n");
    CHECK(tree.run("assertExecStartArgv", {"u.service", "/bin/tool", "tool", "--flag"}).status == Status::Pass);
  }
  SECTION("fails on several effective assignments") {
    tree.write("u.service", "[Service]\nType=oneshot\nExecStart=/bin/one\nExecStart=/bin/two\n");
    const auto result = tree.run("assertExecStartArgv", {"u.service", "/bin/one"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message ==
          "unit file u.service has 2 effective ExecStart= assignments (lines 3, 4), expected exactly one");
    CHECK(result.actual == "ExecStart=/bin/one\nExecStart=/bin/two");
  }
  SECTION("fails on several ';'-separated commands") {
    tree.write("u.service", "[Service]\nExecStart=/bin/one ; /bin/two\n");
    const auto result = tree.run("assertExecStartArgv", {"u.service", "/bin/one"});
    CHECK(result.status == Status::Fail);
    CHECK_THAT(result.message, hmt::testing::Contains("2 ';'-separated commands"));
  }
  SECTION("fails without ExecStart") {
    tree.write("u.service", "[Service]\nType=oneshot\n");
    const auto result = tree.run("assertExecStartArgv", {"u.service", "/bin/one"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file u.service has no ExecStart= in [Service]");
  }
  SECTION("is an error when ExecStart cannot be split") {
    tree.write("u.service", "[Service]\nExecStart=/bin/tool \"unterminated\n");
    const auto result = tree.run("assertExecStartArgv", {"u.service", "/bin/tool"});
    CHECK(result.status == Status::Error);
    CHECK(result.message == "unit file u.service has an ExecStart= on line 2 that cannot be split: "
                            "unterminated double quote opened at column 11");
  }
}

TEST_CASE("assertExecStartHasArgs", "[unit_assertions]") {
  TestedTree tree;
  tree.write(kUnitPath, kTunnelUnit);

  SECTION("passes on a contiguous run") {
    const auto result = tree.run("assertExecStartHasArgs", {kUnitPath, "--listen", "127.0.0.1:8443"});
    CHECK(result.status == Status::Pass);
    CHECK(result.message ==
          "unit file " + kUnitPath + " has ExecStart= arguments \"--listen\" \"127.0.0.1:8443\" on line 7");
    CHECK(tree.run("assertExecStartHasArgs", {kUnitPath, "--cert=${CREDENTIALS_DIRECTORY}/cert"}).status ==
          Status::Pass);
  }
  SECTION("fails when the arguments are not adjacent") {
    const auto result = tree.run("assertExecStartHasArgs", {kUnitPath, "server", "127.0.0.1:8443"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message ==
          "unit file " + kUnitPath + " has no ExecStart= command with the arguments \"server\" \"127.0.0.1:8443\"");
    CHECK(result.expected == "\"server\"\n\"127.0.0.1:8443\"");
    CHECK_THAT(result.actual.value_or(""), hmt::testing::Contains("\"--listen\"\n\"127.0.0.1:8443\""));
  }
  SECTION("does not match a word partially") {
    CHECK(tree.run("assertExecStartHasArgs", {kUnitPath, "--listen", "127.0.0.1"}).status == Status::Fail);
  }
  SECTION("searches every assignment and every command") {
    tree.write("u.service",
               "[Service]\nType=oneshot\nExecStart=/bin/one a\nExecStart=/bin/two b ; /bin/three --x y\n");
    CHECK(tree.run("assertExecStartHasArgs", {"u.service", "--x", "y"}).status == Status::Pass);
    const auto result = tree.run("assertExecStartHasArgs", {"u.service", "a", "b"});
    CHECK(result.status == Status::Fail);
    CHECK(result.actual == "\"/bin/one\"\n\"a\"\n\n\"/bin/two\"\n\"b\"\n\n\"/bin/three\"\n\"--x\"\n\"y\"");
  }
  SECTION("is an error when an ExecStart cannot be split") {
    tree.write("u.service", "[Service]\nExecStart=/bin/tool \\q\n");
    CHECK(tree.run("assertExecStartHasArgs", {"u.service", "/bin/tool"}).status == Status::Error);
  }
}

TEST_CASE("assertLoadCredential", "[unit_assertions]") {
  TestedTree tree;
  tree.write(kUnitPath, kTunnelUnit);

  SECTION("passes on the ID with its exact path") {
    const auto result = tree.run("assertLoadCredential", {kUnitPath, "key", "/run/secrets/tunnel-key"});
    CHECK(result.status == Status::Pass);
    CHECK(result.message ==
          "unit file " + kUnitPath + " loads credential 'key' from '/run/secrets/tunnel-key' on line 9");
  }
  SECTION("an entry without ':' has an empty path") {
    CHECK(tree.run("assertLoadCredential", {kUnitPath, "ca", ""}).status == Status::Pass);
  }
  SECTION("fails on the ID with another path") {
    const auto result = tree.run("assertLoadCredential", {kUnitPath, "cert", "/run/secrets/other"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file " + kUnitPath +
                                " loads credential 'cert' from '/run/secrets/tunnel-cert', not '/run/secrets/other'");
    CHECK(result.expected == "cert:/run/secrets/other");
    CHECK(result.actual == "cert:/run/secrets/tunnel-cert\nkey:/run/secrets/tunnel-key\nca");
  }
  SECTION("fails on an unknown ID") {
    const auto result = tree.run("assertLoadCredential", {kUnitPath, "token", "/run/secrets/token"});
    CHECK(result.status == Status::Fail);
    CHECK(result.message == "unit file " + kUnitPath + " has no LoadCredential= for 'token'");
  }
  SECTION("a path containing ':' is kept whole") {
    tree.write("u.service", "[Service]\nLoadCredential=token:/run/a:b\n");
    CHECK(tree.run("assertLoadCredential", {"u.service", "token", "/run/a:b"}).status == Status::Pass);
  }
  SECTION("fails without LoadCredential") {
    tree.write("u.service", "[Service]\nLoadCredential=a:/x\nLoadCredential=\n");
    const auto result = tree.run("assertLoadCredential", {"u.service", "a", "/x"});
    CHECK(result.status == Status::Fail);
    CHECK_THAT(result.message, hmt::testing::Contains("resets LoadCredential= in [Service] on line 3"));
  }
}

TEST_CASE("a script's unit assertions share one parse, and see a changed file anew", "[unit_assertions]") {
  TestedTree tree;
  hmt::UnitCache units;
  tree.context.units = &units;
  tree.write(kUnitPath, kTunnelUnit);
  CHECK(tree.run("assertUnitValue", {kUnitPath, "Service", "Restart", "on-failure"}).status == Status::Pass);
  const fs::path resolved = tree.context.tested / kUnitPath;
  struct stat st {};
  REQUIRE(::stat(resolved.c_str(), &st) == 0);
  const hmt::FileIdentity identity{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
  const auto first = units.find(resolved, identity);
  REQUIRE(first != nullptr);
  CHECK(tree.run("assertUnitNoKey", {kUnitPath, "Service", "Type"}).status == Status::Pass);
  CHECK(units.find(resolved, identity) == first);
  // Rewritten with another size: the next assertion reads the new text.
  tree.write(kUnitPath, "[Service]\nRestart=always\n");
  CHECK(tree.run("assertUnitValue", {kUnitPath, "Service", "Restart", "always"}).status == Status::Pass);
}
