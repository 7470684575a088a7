// The tested tree the file and content assertion tests run against, with a
// work dir and a fake store beside it.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/catch.h"

#include "assertions/assertion.h"
#include "tests/temp_dir.h"

namespace hmt::testing {

namespace fs = std::filesystem;

inline const std::string kHash = "abcdefghijklmnopqrstuvwxyz012345";

// A tested tree, a work dir and a fake store in a fresh temp dir:
//   tested/home-files/.config/app/config   three lines of text
//   tested/home-files/bin/tool             executable script
//   tested/home-files/plain.txt            mode 0644
//   tested/home-files/binary               text with a NUL byte
//   tested/home-files/store-link  -> <store>/<hash>-app/config
//   tested/home-files/dangling    -> does-not-exist
//   tested/home-files/loop-a      -> loop-b -> loop-a
//   tested/home-files/empty-dir/, full-dir/{a,b}, dir-link -> full-dir
//   tested/home-files/unreadable  -> /proc/self/mem (opens, but reading fails)
class Tree {
 public:
  Tree() : dir_("hmt-file-assertions-test-") {
    context.tested = root() / "tested";
    context.work_dir = root() / "work";
    context.store_dir = root() / "store";
    fs::create_directories(context.work_dir);

    write("tested/home-files/.config/app/config", "line one\nkey = value\n# comment\n");
    write("tested/home-files/bin/tool", "#!/bin/sh\necho hi\n", 0755);
    write("tested/home-files/plain.txt", "plain\n", 0644);
    write("tested/home-files/binary", std::string("abc\0def\nxyz\n", 12));
    const fs::path store_file = write("store/" + kHash + "-app/config", "from the store\n");
    link(store_file, "tested/home-files/store-link");
    link("does-not-exist", "tested/home-files/dangling");
    link("loop-b", "tested/home-files/loop-a");
    link("loop-a", "tested/home-files/loop-b");
    fs::create_directories(root() / "tested/home-files/empty-dir");
    write("tested/home-files/full-dir/b", "");
    write("tested/home-files/full-dir/a", "");
    link("full-dir", "tested/home-files/dir-link");
    link("/proc/self/mem", "tested/home-files/unreadable");
  }
  fs::path write(const fs::path& relative, const std::string& content, int mode = 0644) const {
    const fs::path file = root() / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    fs::permissions(file, static_cast<fs::perms>(mode));
    return file;
  }

  void link(const fs::path& target, const fs::path& relative) const {
    fs::create_directories((root() / relative).parent_path());
    fs::create_symlink(target, root() / relative);
  }

  const fs::path& root() const { return dir_.path(); }

  hmt::AssertionResult run(const std::string& name, std::vector<std::string> args) const {
    for (const auto specs : {hmt::file_assertion_specs(), hmt::content_assertion_specs()})
      for (const auto& spec : specs)
        if (spec.name == name) return spec.run({name, std::move(args), 7}, context);
    FAIL("no file or content assertion " << name);
    return {};
  }

  hmt::AssertionContext context;

 private:
  TempDir dir_;
};

}  // namespace hmt::testing
