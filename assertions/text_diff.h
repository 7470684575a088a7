// Line-based unified diffs, shaped like `diff -u --label OLD --label NEW`,
// for showing why a file's content differs from its golden file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hmt {

struct UnifiedDiffOptions {
  std::string_view old_label = "actual";
  std::string_view new_label = "expected";
  std::size_t context_lines = 3;
  // Beyond this many inserted plus deleted lines (at most 3000 are searched
  // for, whatever this says), or when the search gets too expensive, the
  // shortest diff is given up: the region between the common head and tail
  // is shown as one block of deletions followed by one of insertions.
  std::size_t max_edit_distance = 2000;
  // Longer output is cut after this many lines, with a closing note.
  std::size_t max_output_lines = 2000;
};

// The unified diff turning `old_text` into `new_text`, headers included;
// empty when they are equal. Lines end at '\n'; a missing final newline is
// marked "\ No newline at end of file" as diff does.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         const UnifiedDiffOptions& options = {});

}  // namespace hmt
