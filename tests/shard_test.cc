#include "harness/pipeline/shard.h"

#include <set>

#include "tests/catch.h"

using namespace hmt;

namespace {

std::vector<CaseEntry> entries(std::vector<std::string> names) {
  std::vector<CaseEntry> out;
  for (auto& n : names) out.push_back(CaseEntry{n, n + ".nix", "/cases"});
  return out;
}

std::vector<std::string> names_of(const std::vector<CaseEntry>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.name);
  return out;
}

}  // namespace

TEST_CASE("shards are K/N with 1 <= K <= N") {
  auto shard = parse_shard("2/4");
  REQUIRE(shard);
  CHECK(shard->index == 2);
  CHECK(shard->count == 4);
  for (const char* bad : {"", "3", "0/2", "3/2", "a/b", "1/0", "1/2x", "-1/2", "1/"}) {
    INFO(bad);
    CHECK_FALSE(parse_shard(bad));
  }
  CHECK(parse_shard("3/2").error() == "--shard 3/2: K must be between 1 and N (2)");
  CHECK(parse_shard("x").error() == "--shard 'x' is not K/N with whole numbers K and N from 1, e.g. --shard 2/4");
}

TEST_CASE("the shards of N cover every case once and differ in size by at most one") {
  const auto cases = entries({"e", "b", "g", "a", "d", "c", "f"});
  std::multiset<std::string> seen;
  for (int k = 1; k <= 3; ++k) {
    const auto part = cases_of_shard(cases, {k, 3});
    CHECK((part.size() == 2 || part.size() == 3));
    for (const auto& c : part) seen.insert(c.name);
  }
  CHECK(seen == std::multiset<std::string>{"a", "b", "c", "d", "e", "f", "g"});
}

TEST_CASE("a case's shard depends on the sorted names, not on listing order") {
  const auto one = cases_of_shard(entries({"a", "b", "c", "d"}), {1, 2});
  const auto other = cases_of_shard(entries({"d", "c", "b", "a"}), {1, 2});
  CHECK(names_of(one) == std::vector<std::string>{"a", "c"});
  CHECK(names_of(other) == std::vector<std::string>{"c", "a"});  // original order kept
  CHECK(cases_of_shard(entries({"a"}), {2, 2}).empty());
}
