// --shard K/N: the K-th of N disjoint parts of the selected cases, so N CI
// machines cover the suite once. Without durations, a case's part depends
// only on its name's rank among the selected names, never on the machine,
// folder order or timing: sort the names, deal them out in turn. With the
// durations the record holds, the parts take about the same time: the
// longest case first, each to the part with the least time so far (cases
// not in the record count as the median); a given record gives the same
// parts on every machine.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "process/expected.h"
#include "harness/nix/evaluation.h"

namespace hmt {

struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N
};

// "2/4"; errors name the problem and the expected form.
Expected<Shard> parse_shard(const std::string& text);

// The cases of shard, in their original order; without durations, parts
// differ in size by at most one. durations: case name -> milliseconds.
std::vector<CaseEntry> cases_of_shard(const std::vector<CaseEntry>& cases, Shard shard,
                                      const std::map<std::string, long long>& durations = {});

}  // namespace hmt
