#include "harness/pipeline/shard.h"

#include <algorithm>
#include <map>
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

namespace {

long long part_time(const std::vector<CaseEntry>& part, const std::map<std::string, long long>& durations) {
  long long total = 0;
  for (const auto& c : part) total += durations.at(c.name);
  return total;
}

}  // namespace

TEST_CASE("with recorded durations the parts take about the same time, and cover every case once") {
  // One slow case, a few middling ones, many quick ones: dealing by name
  // would put the slow one and six quick ones in the first part.
  std::map<std::string, long long> durations{{"a", 5000}, {"b", 3000}, {"c", 3000}, {"d", 3000}};
  std::vector<std::string> names{"a", "b", "c", "d"};
  for (int i = 0; i < 24; ++i) {
    const std::string name = "q" + std::to_string(100 + i);
    durations[name] = 250;
    names.push_back(name);
  }
  const auto cases = entries(names);
  std::multiset<std::string> seen;
  std::vector<long long> times;
  for (int k = 1; k <= 4; ++k) {
    const auto part = cases_of_shard(cases, {k, 4}, durations);
    for (const auto& c : part) seen.insert(c.name);
    times.push_back(part_time(part, durations));
  }
  CHECK(seen == std::multiset<std::string>(names.begin(), names.end()));
  const auto [fastest, slowest] = std::minmax_element(times.begin(), times.end());
  INFO("part times: " << times[0] << " " << times[1] << " " << times[2] << " " << times[3]);
  CHECK(*slowest <= *fastest * 12 / 10);  // within 1.2x, the goal
  // Dealt by name instead, they would not be.
  long long by_name_first = 0, by_name_second = 0;
  for (const auto& c : cases_of_shard(cases, {1, 4})) by_name_first += durations.at(c.name);
  for (const auto& c : cases_of_shard(cases, {2, 4})) by_name_second += durations.at(c.name);
  CHECK(by_name_first > by_name_second * 12 / 10);
}

TEST_CASE("balanced parts are the same for the same record, whatever the listing order") {
  const std::map<std::string, long long> durations{{"a", 50}, {"b", 40}, {"c", 30}, {"d", 30}, {"e", 10}};
  const auto one = cases_of_shard(entries({"a", "b", "c", "d", "e"}), {2, 2}, durations);
  const auto other = cases_of_shard(entries({"e", "d", "c", "b", "a"}), {2, 2}, durations);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(sorted(names_of(one)) == sorted(names_of(other)));
  // Longest first, each to the part with least time so far (ties: the
  // lower part, names in order): a|b, then c to b's part, d to a's, e to b's.
  CHECK(sorted(names_of(cases_of_shard(entries({"a", "b", "c", "d", "e"}), {1, 2}, durations))) ==
        std::vector<std::string>{"a", "d"});
  CHECK(sorted(names_of(one)) == std::vector<std::string>{"b", "c", "e"});
}

TEST_CASE("cases the record has not timed count as its median") {
  // x and y are new: each counts as 100 (the median of 10, 100, 1000).
  const std::map<std::string, long long> durations{{"a", 1000}, {"b", 100}, {"c", 10}};
  std::vector<std::string> first, second;
  for (const auto& c : cases_of_shard(entries({"a", "b", "c", "x", "y"}), {1, 2}, durations)) first.push_back(c.name);
  for (const auto& c : cases_of_shard(entries({"a", "b", "c", "x", "y"}), {2, 2}, durations)) second.push_back(c.name);
  CHECK(first == std::vector<std::string>{"a"});
  CHECK(second == std::vector<std::string>{"b", "c", "x", "y"});
}

TEST_CASE("without durations for any selected case, parts are dealt by name as before") {
  const std::map<std::string, long long> durations{{"other", 500}};
  CHECK(names_of(cases_of_shard(entries({"a", "b", "c", "d"}), {1, 2}, durations)) ==
        std::vector<std::string>{"a", "c"});
}
