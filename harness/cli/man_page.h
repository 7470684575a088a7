// hmt(1), written from the same option table as --help (cli_option_docs),
// so the two cannot drift: the build runs `hmt --help-man` to make hmt.1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/cli/cli.h"

namespace hmt {

// text for roff: backslashes, hyphens and a leading '.' or '\'' escaped.
std::string roff_text(std::string_view text);

std::string man_page(const std::vector<OptionDoc>& options, std::string_view version);

}  // namespace hmt
