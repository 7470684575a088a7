// assertUnitVerifies: systemd's own verdict on a unit of the tested tree.
//
// The unit and its siblings are copied to a scratch folder, `@pname@`
// placeholders (what home-manager's tests put in place of package paths)
// become paths of small executables that exist there, and
// `systemd-analyze verify --user` checks the copy. Every complaint systemd
// prints about that unit fails the assertion, with its line in the unit.
#pragma once

#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "assertions/assertion.h"

namespace hmt {

// A unit's text with every `@name@` replaced by `<root>/name`. `needed`
// collects what must exist for the result to refer to real files: the
// part after each placeholder up to the end of the word, e.g.
// "hello/bin/hello" for `"@hello@/bin/hello" --greeting`, or "hello".
std::string resolve_placeholders(std::string_view text, const std::filesystem::path& root,
                                 std::set<std::string>& needed);

// Creates, below `root`, each path of `needed`: a directory where another
// path lies inside it (or the path is a bare placeholder), otherwise an
// executable that does nothing.
void create_placeholder_targets(const std::filesystem::path& root, const std::set<std::string>& needed);

struct VerifyComplaint {
  int line = 0;  // line in the unit file; 0 when systemd names none
  std::string text;
};

// systemd-analyze's output lines about one unit: those that start with the
// unit's path (`PATH:LINE: text`, `PATH: text`) or its name (`NAME: text`).
std::vector<VerifyComplaint> parse_verify_output(std::string_view output, std::string_view unit_path,
                                                 std::string_view unit_name);

}  // namespace hmt
