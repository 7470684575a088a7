// systemd unit files as systemd.syntax(7) describes them: sections, Key=Value
// assignments, comments, continuation lines, and list settings that collect
// every assignment until an empty one resets them.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hmt {

// One assignment that is still in effect, with the line it started on.
struct UnitValue {
  std::string text;
  int line = 0;
};

struct UnitKey {
  std::string name;
  std::vector<UnitValue> values;  // effective values, in assignment order
  int reset_line = 0;             // last empty assignment (Key=), 0 if none
};

struct UnitSection {
  std::string name;  // without the brackets
  int line = 0;      // first header line; repeated headers extend the section
  std::vector<UnitKey> keys;

  const UnitKey* find(std::string_view key) const;
};

struct UnitParseError {
  int line = 0;
  std::string message;
};

struct UnitFile {
  std::vector<UnitSection> sections;
  // Malformed lines, in file order; they are skipped, the rest is parsed.
  std::vector<UnitParseError> errors;

  bool ok() const { return errors.empty(); }
  const UnitSection* find(std::string_view section) const;
  // The effective values of KEY in SECTION; empty when either is absent or
  // the key was reset.
  std::span<const UnitValue> values(std::string_view section, std::string_view key) const;
};

// Never throws: malformed lines (no '=', empty key, assignment before any
// section, broken section header) are reported in UnitFile::errors.
UnitFile parse_unit_file(std::string_view text);

// The same, reading line by line so that only the parse is held, never the
// whole text. It stops at a read error: the caller checks in.bad().
UnitFile parse_unit_file(std::istream& in);

}  // namespace hmt
