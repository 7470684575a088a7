// Expansion of the words shell_words.h parses, as bash expands them in this
// subset: variables, $(normalizeStorePaths ...) and word splitting.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assertions/shell_words.h"

namespace hmt::shell {

using Variables = std::map<std::string, std::string, std::less<>>;
// Runs normalizeStorePaths on its expanded arguments and returns what the
// command substitution yields.
using Substitute = std::function<std::string(const std::vector<std::string>& args)>;

// Expands a word into fields as bash would for this subset: unquoted
// expansions are split on blanks and vanish when empty, quoted ones never
// split; unset variables are empty.
std::vector<std::string> expand_word(const Word& word, const Variables& variables,
                                     const Substitute& substitute);

// The right-hand side of an assignment: expanded but never split.
std::string expand_value(const Word& word, const Variables& variables,
                         const Substitute& substitute);

}  // namespace hmt::shell
