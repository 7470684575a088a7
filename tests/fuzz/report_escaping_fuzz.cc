// libFuzzer target: the escaping every report is built from. For any bytes
// it checks that each writer's output is valid UTF-8, keeps its structure
// (a YAML field stays one field, indented under its key, so no value can
// start a TAP line; XML holds no raw markup or control character) and
// reads back as the text it was given (display_text's form of the bytes;
// XML drops what it cannot carry). tests/report_corpus_test.cc runs the
// whole reports over this target's corpus.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"
#include "assertions/utf8.h"
#include "harness/report/display_text.h"
#include "harness/report/report_text.h"
#include "harness/report/xml_writer.h"
#include "harness/report/yaml_writer.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

bool is_utf8(std::string_view text) { return hmt::report_text::valid_utf8(text) == text; }

unsigned hex_value(std::string_view digits) {
  require(!digits.empty() && digits.find_first_not_of("0123456789ABCDEF") == std::string_view::npos);
  return static_cast<unsigned>(std::stoul(std::string(digits), nullptr, 16));
}

// Reads back the double-quoted scalars yaml_writer emits.
std::string yaml_unquote(std::string_view quoted) {
  require(quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"');
  quoted = quoted.substr(1, quoted.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    require(quoted[i] != '"');
    if (quoted[i] != '\\') {
      out += quoted[i];
      continue;
    }
    require(i + 1 < quoted.size());
    const char kind = quoted[++i];
    const std::size_t digits = kind == 'x' ? 2 : kind == 'u' ? 4 : 0;
    if (digits == 0) {
      const std::string_view from = "\"\\ntr", to = "\"\\\n\t\r";
      const auto at = from.find(kind);
      require(at != std::string_view::npos);
      out += to[at];
      continue;
    }
    require(i + digits < quoted.size() + 1);
    hmt::utf8::append(out, hex_value(quoted.substr(i + 1, digits)));
    i += digits;
  }
  return out;
}

void check_yaml_field(std::string_view value, hmt::YamlDialect dialect, hmt::YamlStyle style) {
  std::string out;
  hmt::put_field(out, "  ", 2, "message", value, dialect, style);
  require(is_utf8(out));
  const std::string expected = hmt::display_text(value);
  const std::string_view head = "  message: ";
  require(out.starts_with(head) && out.ends_with('\n'));
  std::string_view rest = std::string_view(out).substr(head.size());
  const auto first_end = rest.find('\n');
  const auto header = rest.substr(0, first_end);
  if (header != "|" && header != "|-") {
    // A scalar on the key's own line.
    require(first_end == rest.size() - 1);
    for (char c : header) require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
    require((header.starts_with('"') ? yaml_unquote(header) : std::string(header)) == expected);
    return;
  }
  // A literal block: every line under the key, four columns in.
  require(dialect == hmt::YamlDialect::Yaml12 || header == "|");
  std::string body;
  rest.remove_prefix(first_end + 1);
  for (bool first = true; !rest.empty(); first = false) {
    const auto end = rest.find('\n');
    require(end != std::string_view::npos && rest.starts_with("    "));
    if (!first) body += '\n';
    body += rest.substr(4, end - 4);
    rest.remove_prefix(end + 1);
  }
  std::string_view want = expected;
  if (want.ends_with('\n')) {
    require(header == "|");
    want.remove_suffix(1);
  } else {
    require(header == "|-" || dialect == hmt::YamlDialect::ProveYamlish);
  }
  require(body == want);
}

// Reads back the character references xml_writer emits.
std::string xml_unescape(std::string_view xml) {
  std::string out;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '&') {
      out += xml[i];
      continue;
    }
    const auto end = xml.find(';', i);
    require(end != std::string_view::npos);
    const auto name = xml.substr(i + 1, end - i - 1);
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "#10") out += '\n';
    else if (name == "#9") out += '\t';
    else if (name == "#13") out += '\r';
    else require(false);
    i = end;
  }
  return out;
}

// display_text's form of value without what XML 1.0 cannot carry.
std::string xml_carried(std::string_view value) {
  std::string out;
  hmt::report_text::for_each_code_point(hmt::display_text(value), [&](char32_t cp) {
    if ((cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) return;
    hmt::utf8::append(out, cp);
  });
  return out;
}

void check_xml(std::string_view value) {
  const std::string carried = xml_carried(value);
  for (const bool attribute : {false, true}) {
    const std::string out = attribute ? hmt::xml_attr(value) : hmt::xml_text(value);
    require(is_utf8(out));
    for (char c : out) {
      require(c != '<' && c != '\r' && (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t'));
      if (attribute) require(c != '"' && c != '\n' && c != '\t');
    }
    require(xml_unescape(out) == carried);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const std::string shown = hmt::display_text(input);
  require(is_utf8(shown));
  if (is_utf8(input) && input.find("\xF4\x8F") == std::string_view::npos) require(shown == input);

  const std::string protected_bytes = hmt::json_bytes::protect(input);
  require(is_utf8(protected_bytes));
  require(hmt::json_bytes::restore(protected_bytes) == input);
  require(nlohmann::json::parse(nlohmann::json(protected_bytes).dump()) == protected_bytes);

  for (const auto dialect : {hmt::YamlDialect::ProveYamlish, hmt::YamlDialect::Yaml12})
    for (const auto style : {hmt::YamlStyle::Auto, hmt::YamlStyle::PreferBlock})
      check_yaml_field(input, dialect, style);
  check_xml(input);
  return 0;
}
