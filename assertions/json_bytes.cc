#include "assertions/json_bytes.h"

#include <utility>

#include "assertions/utf8.h"

namespace hmt::json_bytes {

namespace {

constexpr char32_t kMarkerBase = 0x10FF00;

void append_marker(std::string& out, unsigned char byte) { utf8::append(out, kMarkerBase + byte); }

template <class Transform>
void transform_strings(nlohmann::json& value, const Transform& transform) {
  if (value.is_string()) {
    value = transform(value.get_ref<const std::string&>());
  } else if (value.is_array()) {
    for (auto& item : value) transform_strings(item, transform);
  } else if (value.is_object()) {
    nlohmann::json object = nlohmann::json::object();
    for (auto& [key, item] : value.items()) {
      transform_strings(item, transform);
      object[transform(key)] = std::move(item);
    }
    value = std::move(object);
  }
}

}  // namespace

std::string protect(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    char32_t cp = 0;
    const std::size_t length = utf8::sequence_at(bytes, i, cp);
    if (length == 0 || cp >= kMarkerBase) {
      const std::size_t count = length == 0 ? 1 : length;
      for (std::size_t k = 0; k < count; ++k) append_marker(out, static_cast<unsigned char>(bytes[i + k]));
      i += count;
    } else {
      out.append(bytes.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string restore(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t length = utf8::sequence_at(text, i, cp);
    if (length == 4 && cp >= kMarkerBase) {
      out += static_cast<char>(cp - kMarkerBase);
      i += 4;
    } else {
      const std::size_t count = length == 0 ? 1 : length;
      out.append(text.substr(i, count));
      i += count;
    }
  }
  return out;
}

nlohmann::json parse(std::string_view text) {
  nlohmann::json value = nlohmann::json::parse(protect(text), nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) transform_strings(value, [](const std::string& s) { return restore(s); });
  return value;
}

std::string dump(const nlohmann::json& value) {
  nlohmann::json protected_value = value;
  transform_strings(protected_value, [](const std::string& s) { return protect(s); });
  // Raw bytes in the strings, as builtins.toJSON writes them.
  return restore(protected_value.dump());
}

std::optional<std::string> from_hex(std::string_view digits) {
  if (digits.size() % 2 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(digits.size() / 2);
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int high = value(digits[i]), low = value(digits[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

}  // namespace hmt::json_bytes
