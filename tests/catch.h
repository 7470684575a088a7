// Catch2 for the tests, whichever major version the machine has: v2
// (Debian 12) ships catch2/catch.hpp, v3 (Debian 13, Ubuntu 24.04, Fedora,
// Arch, nixpkgs' catch2_3) split it up and renamed the string matchers.
// Tests include this and use the matchers below.
#pragma once

#include <string>

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#define HMT_CATCH2_V3 1
#else
#include <catch2/catch.hpp>
#endif

namespace hmt::testing {

#ifdef HMT_CATCH2_V3
inline auto Contains(const std::string& text) { return Catch::Matchers::ContainsSubstring(text); }
inline auto StartsWith(const std::string& text) { return Catch::Matchers::StartsWith(text); }
inline auto EndsWith(const std::string& text) { return Catch::Matchers::EndsWith(text); }
#else
inline auto Contains(const std::string& text) { return Catch::Matchers::Contains(text); }
inline auto StartsWith(const std::string& text) { return Catch::Matchers::StartsWith(text); }
inline auto EndsWith(const std::string& text) { return Catch::Matchers::EndsWith(text); }
#endif

}  // namespace hmt::testing
