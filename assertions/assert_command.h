// The hidden subcommands the bash fallback calls back into:
//   hmt __assert NAME ARGS...   runs one assertion, appends its JSON to $HMT_RESULTS
//   hmt __normalize PATH        prints the normalized copy's path
// They read HMT_TESTED, HMT_WORK_DIR, HMT_STORE_DIR, HMT_RESULTS, HMT_LINE.
#pragma once

namespace hmt {

// argv[0] is the subcommand itself.
int assert_command_main(int argc, char** argv);

}  // namespace hmt
