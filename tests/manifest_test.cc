#include "harness/nix/manifest.h"

#include <fstream>

#include "tests/catch.h"

#include "tests/fuzz_inputs.h"

using hmt::parse_manifest;

TEST_CASE("a manifest gives the case's name, script and tested tree") {
  auto m = parse_manifest(
      R"({"format":1,"name":"basic","file":"/c/basic.nix","description":"d","script":"assertFileExists x\n","tested":"/nix/store/t"})");
  REQUIRE(m.ok());
  CHECK(m->name == "basic");
  CHECK(m->file == "/c/basic.nix");
  CHECK(m->script == "assertFileExists x\n");
  CHECK(m->tested == "/nix/store/t");
}

TEST_CASE("malformed manifests are errors that say what is wrong") {
  CHECK(parse_manifest("not json").error() == "the manifest is not a JSON object");
  CHECK(parse_manifest(R"({"format":2,"name":"a","script":"","tested":"/t"})").error().find("unsupported manifest format 2") !=
        std::string::npos);
  CHECK(parse_manifest(R"({"format":1,"name":"a","script":""})").error() == "the manifest has no string field 'tested'");
  CHECK(parse_manifest(R"({"format":1,"name":3,"script":"","tested":"/t"})").error() ==
        "the manifest has no string field 'name'");
}

TEST_CASE("fields of the wrong type are errors, not exceptions") {
  CHECK(parse_manifest(R"({"format":"1","name":"a","script":"","tested":"/t"})").error() ==
        "unsupported manifest format (a string) (this hmt reads format 1)");
  CHECK(parse_manifest(R"({"name":"a","script":"","tested":"/t"})").error() ==
        "unsupported manifest format (none) (this hmt reads format 1)");
  CHECK(parse_manifest(R"({"format":1.5,"name":"a","script":"","tested":"/t"})").error() ==
        "unsupported manifest format (a number) (this hmt reads format 1)");
  CHECK(parse_manifest(R"({"format":1,"name":"a","script":"","tested":"/t","file":7})").error() ==
        "the manifest's field 'file' is not a string");
  CHECK(parse_manifest(R"({"format":1,"name":"a","script":"","tested":"/t","description":[]})").error() ==
        "the manifest's field 'description' is not a string");
}

TEST_CASE("inputs the fuzzer found give a manifest or an error", "[fuzz]") {
  const auto inputs = hmt::testing::fuzz_crash_inputs("manifest");
  REQUIRE_FALSE(inputs.empty());
  for (const auto& [file, input] : inputs) {
    INFO(file);
    const auto parsed = parse_manifest(input);
    CHECK_FALSE(parsed.ok());  // each of them is malformed
  }
}

TEST_CASE("reading a manifest names the file on errors") {
  auto missing = hmt::read_manifest("/nonexistent/hmt-manifest");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("/nonexistent/hmt-manifest") != std::string::npos);

  auto path = std::filesystem::temp_directory_path() / "hmt-manifest-test.json";
  std::ofstream(path) << R"({"format":1,"name":"a","script":"","tested":"/t"})";
  auto read = hmt::read_manifest(path);
  std::filesystem::remove(path);
  REQUIRE(read.ok());
  CHECK(read->name == "a");
}

TEST_CASE("a manifest's text may come as hex, for text that is not UTF-8") {
  auto m = parse_manifest(R"({"format":1,"tested":"/nix/store/t","nameHex":"6279746573ff","scriptHex":"6661696c20e9",)"
                          R"("fileHex":"2f632e6e6978"})");
  REQUIRE(m.ok());
  CHECK(m->name == "bytes\xff");
  CHECK(m->script == "fail \xe9");
  CHECK(m->file == "/c.nix");
  CHECK_FALSE(parse_manifest(R"({"format":1,"tested":"/t","nameHex":"zz","script":"x"})").ok());
}
