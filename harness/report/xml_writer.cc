#include "harness/report/xml_writer.h"

#include "harness/report/display_text.h"
#include "harness/report/report_text.h"

namespace hmt {

namespace {

enum class XmlContext { Text, Attribute };

// CR is always a reference: parsers would turn a raw one into LF.
std::string xml_escape(std::string_view text, XmlContext context) {
  const bool attribute = context == XmlContext::Attribute;
  std::string out;
  report_text::for_each_code_point(display_text(text), [&](char32_t cp) {
    switch (cp) {
      case U'&':
        out += "&amp;";
        return;
      case U'<':
        out += "&lt;";
        return;
      case U'>':
        out += "&gt;";
        return;
      case U'"':
        out += attribute ? "&quot;" : "\"";
        return;
      case U'\n':
        out += attribute ? "&#10;" : "\n";
        return;
      case U'\t':
        out += attribute ? "&#9;" : "\t";
        return;
      case U'\r':
        out += "&#13;";
        return;
      default:
        break;
    }
    if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) return;
    report_text::append_utf8(out, cp);
  });
  return out;
}

}  // namespace

std::string xml_text(std::string_view value) { return xml_escape(value, XmlContext::Text); }
std::string xml_attr(std::string_view value) { return xml_escape(value, XmlContext::Attribute); }

}  // namespace hmt
