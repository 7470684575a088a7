// How the reporters show text that may hold any bytes: valid UTF-8 as it
// is, every other byte as `\xFF`, so TAP, JUnit XML and the console stay
// valid UTF-8 and a reader still sees which bytes were there.
#pragma once

#include <string>
#include <string_view>

namespace hmt {

std::string display_text(std::string_view bytes);

}  // namespace hmt
