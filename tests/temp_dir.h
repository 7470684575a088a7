// A fresh directory under the system temp dir for one test, removed with
// everything in it. It is the program's own TemporaryFolder; a folder that
// cannot be made fails the test.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

#include "tests/catch.h"

#include "process/temporary_folder.h"

namespace hmt::testing {

namespace fs = std::filesystem;

inline TemporaryFolder make_temporary_folder(std::string_view prefix) {
  Expected<TemporaryFolder> folder = TemporaryFolder::create(prefix);
  if (!folder) FAIL("cannot make a temporary folder: " << folder.error());
  return std::move(folder).value();
}

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "hmt-test-") : folder_(make_temporary_folder(prefix)) {}

  const fs::path& path() const { return folder_.path(); }

  fs::path write(const fs::path& relative, const std::string& content) const {
    const fs::path file = path() / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  TemporaryFolder folder_;
};

}  // namespace hmt::testing
