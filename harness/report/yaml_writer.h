// Writes YAML mappings field by field for TAP's diagnostics blocks: plain
// scalars where they read back unchanged, literal blocks for multi-line
// text, double-quoted scalars (with escapes) otherwise. Output is valid
// UTF-8 whatever bytes the values hold.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hmt {

// TAP 13 is read by prove, whose YAMLish reader knows only plain,
// double-quoted and "|" / ">" scalars; TAP 14 consumers have full YAML.
enum class YamlDialect { ProveYamlish, Yaml12 };

// PreferBlock: a literal block even for one line (Nix errors read better).
enum class YamlStyle { Auto, PreferBlock };

// Appends "key: value" with lead before the key (indentation, or "- " for
// the first field of a list item); block content goes two columns deeper
// than key_column.
void put_field(std::string& out, std::string_view lead, std::size_t key_column, std::string_view key,
               std::string_view value, YamlDialect dialect, YamlStyle style = YamlStyle::Auto);

void put_number(std::string& out, std::string_view lead, std::string_view key, int value);

}  // namespace hmt
