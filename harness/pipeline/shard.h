// --shard K/N: the K-th of N disjoint parts of the selected cases, so N CI
// machines cover the suite once. A case's part depends only on its name's
// rank among the selected names, never on the machine, folder order or
// timing: sort the names, deal them out in turn.
#pragma once

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

// The cases of shard, in their original order; parts differ in size by at most one.
std::vector<CaseEntry> cases_of_shard(const std::vector<CaseEntry>& cases, Shard shard);

}  // namespace hmt
