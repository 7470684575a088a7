// Stands in for `hmt __assert` / `hmt __normalize` in the script tests.
#include "assertions/assert_command.h"

int main(int argc, char** argv) { return hmt::assert_command_main(argc - 1, argv + 1); }
