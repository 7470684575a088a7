// The shell functions nmt.script may call besides the assertions: nmt's own
// helper `_abs`, and the stdenv setup functions a Nix builder offers
// (`substitute`, `substituteInPlace`, `substituteStream`), so that scripts
// that run under nmt inside a build also run under hmt's bash fallback.
#pragma once

#include <string_view>

namespace hmt {

// Bash source defining those functions; they read $TESTED.
std::string_view nmt_shell_functions();

}  // namespace hmt
