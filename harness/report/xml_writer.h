// Escaping for XML 1.0 and HTML text and attributes, shared by the JUnit
// and HTML reports. Ill-formed UTF-8 becomes U+FFFD; code points XML
// forbids (most C0 controls, U+FFFE, U+FFFF) are dropped.
#pragma once

#include <string>
#include <string_view>

namespace hmt {

// Character data: &, < and > escaped; line breaks and tabs kept.
std::string xml_text(std::string_view value);
// An attribute value in double quotes: tabs and line breaks become
// character references so attribute normalisation keeps them.
std::string xml_attr(std::string_view value);

}  // namespace hmt
