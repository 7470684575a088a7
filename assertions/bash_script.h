// The bash fallback: runs an nmt.script under real bash (`-e -o pipefail`)
// with nmt's commands bound to hmt's own implementation through the hidden
// `hmt __assert` / `hmt __normalize` subcommands, and collects the verdicts
// they record.
#pragma once

#include <string_view>

#include "assertions/script_support.h"

namespace hmt {

// Runs the script under bash whatever it contains; run_script uses it for
// scripts outside the native subset, tests use it to compare both ways.
ScriptOutcome run_script_in_bash(std::string_view script, const ScriptContext& context);

}  // namespace hmt
