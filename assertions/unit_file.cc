#include "assertions/unit_file.h"

#include <algorithm>
#include <istream>
#include <optional>
#include <unordered_map>

#include <fmt/core.h>

namespace hmt {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

bool is_comment(std::string_view stripped_line) {
  return !stripped_line.empty() && (stripped_line.front() == '#' || stripped_line.front() == ';');
}

// A trailing backslash continues the line unless it is itself escaped, i.e.
// the line ends in an even run of backslashes.
bool continues(std::string_view stripped_line) {
  const auto last_other = stripped_line.find_last_not_of('\\');
  const auto run = stripped_line.size() - (last_other == std::string_view::npos ? 0 : last_other + 1);
  return run % 2 == 1;
}

// Error messages quote the offending line; keep them one readable line.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  return fmt::format("{}...", text.substr(0, kMax));
}

// Fed one physical line at a time, so that text and stream parse alike.
class UnitParser {
 public:
  void add_line(std::string_view physical) {
    if (++line_number_ == 1 && physical.starts_with(kUtf8Bom)) physical.remove_prefix(kUtf8Bom.size());
    add_physical_line(trim(physical), line_number_);
  }

  UnitFile finish() {
    if (pending_) finish_logical_line(*pending_, pending_line_);
    pending_.reset();
    return std::move(unit_);
  }

 private:
  void add_physical_line(std::string_view line, int line_number) {
    // Comments are skipped even between the parts of a continued line.
    if (is_comment(line)) return;
    if (!pending_ && line.empty()) return;
    if (!pending_) {
      pending_line_ = line_number;
      pending_.emplace();
    }
    // Appended in place: a long run of continuation lines stays linear.
    if (continues(line)) {
      pending_->append(line.substr(0, line.size() - 1));
      pending_->push_back(' ');
      return;
    }
    pending_->append(line);
    const std::string joined = std::move(*pending_);
    pending_.reset();
    finish_logical_line(joined, pending_line_);
  }

  void finish_logical_line(std::string_view raw, int line) {
    const auto text = trim(raw);
    if (text.empty()) return;
    if (text.front() == '[') {
      open_section(text, line);
      return;
    }
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
      error(line, fmt::format("expected Key=Value or [Section], got '{}'", excerpt(text)));
      return;
    }
    const auto key = trim(text.substr(0, equals));
    if (key.empty()) {
      error(line, fmt::format("missing key before '=' in '{}'", excerpt(text)));
      return;
    }
    if (!current_section_) {
      error(line, fmt::format("assignment '{}' outside any [Section]", excerpt(text)));
      return;
    }
    assign(unit_.sections[*current_section_], key, trim(text.substr(equals + 1)), line);
  }

  void open_section(std::string_view header, int line) {
    if (header.size() < 3 || header.back() != ']') {
      error(line, fmt::format("invalid section header '{}'", excerpt(header)));
      current_section_.reset();  // keep its assignments out of the previous section
      return;
    }
    const auto name = header.substr(1, header.size() - 2);
    auto& sections = unit_.sections;
    const auto existing = std::find_if(sections.begin(), sections.end(),
                                       [&](const UnitSection& s) { return s.name == name; });
    if (existing != sections.end()) {
      current_section_ = static_cast<std::size_t>(existing - sections.begin());
      return;
    }
    sections.push_back(UnitSection{std::string(name), line, {}});
    current_section_ = sections.size() - 1;
  }

  // Keys are found through an index: a unit with many keys stays linear.
  void assign(UnitSection& section, std::string_view key, std::string_view value, int line) {
    auto& index = key_index_[*current_section_];
    auto [slot, added] = index.try_emplace(std::string(key), section.keys.size());
    if (added) section.keys.push_back(UnitKey{std::string(key), {}, 0});
    UnitKey* entry = &section.keys[slot->second];
    if (value.empty()) {
      entry->values.clear();
      entry->reset_line = line;
    } else {
      entry->values.push_back(UnitValue{std::string(value), line});
    }
  }

  void error(int line, std::string message) {
    unit_.errors.push_back(UnitParseError{line, std::move(message)});
  }

  UnitFile unit_;
  int line_number_ = 0;
  std::unordered_map<std::size_t, std::unordered_map<std::string, std::size_t>> key_index_;  // by section
  std::optional<std::size_t> current_section_;
  std::optional<std::string> pending_;  // a continued line waiting for its end
  int pending_line_ = 0;                // where the pending logical line started
};

}  // namespace

const UnitKey* UnitSection::find(std::string_view key) const {
  const auto it = std::find_if(keys.begin(), keys.end(), [&](const UnitKey& k) { return k.name == key; });
  return it == keys.end() ? nullptr : &*it;
}

const UnitSection* UnitFile::find(std::string_view section) const {
  const auto it = std::find_if(sections.begin(), sections.end(),
                               [&](const UnitSection& s) { return s.name == section; });
  return it == sections.end() ? nullptr : &*it;
}

std::span<const UnitValue> UnitFile::values(std::string_view section, std::string_view key) const {
  const UnitSection* found_section = find(section);
  if (!found_section) return {};
  const UnitKey* found_key = found_section->find(key);
  if (!found_key) return {};
  return found_key->values;
}

UnitFile parse_unit_file(std::string_view text) {
  UnitParser parser;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    parser.add_line(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  }
  return parser.finish();
}

UnitFile parse_unit_file(std::istream& in) {
  UnitParser parser;
  std::string line;
  while (std::getline(in, line)) parser.add_line(line);
  return parser.finish();
}

}  // namespace hmt
