#include "harness/pipeline/golden.h"

#include <fstream>
#include <sstream>

#include "tests/catch.h"

namespace fs = std::filesystem;

namespace {

struct TempTree {
  fs::path root;
  TempTree() {
    root = fs::temp_directory_path() / ("hmt-golden-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(root);
  }
  ~TempTree() { fs::remove_all(root); }
  fs::path write(const fs::path& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel, std::ios::binary) << text;
    return root / rel;
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

hmt::AssertionResult failed_content(const fs::path& expected, const fs::path& actual) {
  hmt::AssertionResult r;
  r.name = "assertFileContent";
  r.status = hmt::Status::Fail;
  r.expected_path = expected.string();
  r.actual_path = actual.string();
  return r;
}

}  // namespace

TEST_CASE("the expected file's source in the case folder is rewritten from the actual file") {
  TempTree t;
  auto source = t.write("cases/units/foo.service", "old\n");
  auto store_copy = t.write("store/0123456789abcdfghijklmnpqrsvwxyz-foo.service", "old\n");
  auto actual = t.write("tested/foo.service", "new\n");
  auto update = hmt::update_golden(failed_content(store_copy, actual), t.root / "cases");
  CHECK(update.updated);
  CHECK(update.source == source);
  CHECK(read(source) == "new\n");
  CHECK(update.message == "updated " + source.string());
}

TEST_CASE("inline expected text has no source file and is left alone") {
  TempTree t;
  t.write("cases/foo.service", "something else\n");
  auto store_copy = t.write("store/0123456789abcdfghijklmnpqrsvwxyz-foo.service", "old\n");
  auto actual = t.write("tested/foo.service", "new\n");
  auto update = hmt::update_golden(failed_content(store_copy, actual), t.root / "cases");
  CHECK_FALSE(update.updated);
  CHECK(update.message.find("no file named 'foo.service'") != std::string::npos);
  CHECK(read(t.root / "cases/foo.service") == "something else\n");
}

TEST_CASE("two candidate sources are ambiguous and neither is touched") {
  TempTree t;
  t.write("cases/a/foo.service", "old\n");
  t.write("cases/b/foo.service", "old\n");
  auto store_copy = t.write("store/0123456789abcdfghijklmnpqrsvwxyz-foo.service", "old\n");
  auto actual = t.write("tested/foo.service", "new\n");
  auto update = hmt::update_golden(failed_content(store_copy, actual), t.root / "cases");
  CHECK_FALSE(update.updated);
  CHECK(update.message.find("ambiguous") != std::string::npos);
  CHECK(read(t.root / "cases/a/foo.service") == "old\n");
}

TEST_CASE("only failing assertFileContent results can update a golden file") {
  hmt::AssertionResult other;
  other.name = "assertFileContains";
  auto update = hmt::update_golden(other, "/tmp");
  CHECK_FALSE(update.updated);
}

TEST_CASE("a link in the case folder is never written through, even to a file of the same content") {
  TempTree t;
  const fs::path outside = t.write("elsewhere/app.conf", "old\n");
  const fs::path store_copy = t.write("store/abcdefghijklmnopqrstuvwxyz012345-app.conf", "old\n");
  const fs::path actual = t.write("tested/app.conf", "new\n");
  fs::create_directories(t.root / "cases");
  fs::create_symlink(outside, t.root / "cases/app.conf");
  auto update = hmt::update_golden(failed_content(store_copy, actual), t.root / "cases");
  CHECK_FALSE(update.updated);
  CHECK(update.message == "not updated: " + (t.root / "cases/app.conf").string() +
                              " is a link, and --update-golden writes only the case folder's own files");
  CHECK(read(outside) == "old\n");
  CHECK(fs::is_symlink(t.root / "cases/app.conf"));
}

TEST_CASE("an updated source is replaced whole: no temporary file is left beside it") {
  TempTree t;
  const fs::path source = t.write("cases/sub/app.conf", "old\n");
  const fs::path store_copy = t.write("store/abcdefghijklmnopqrstuvwxyz012345-app.conf", "old\n");
  const fs::path actual = t.write("tested/app.conf", "new\n");
  auto update = hmt::update_golden(failed_content(store_copy, actual), t.root / "cases");
  CHECK(update.updated);
  CHECK(read(source) == "new\n");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(t.root / "cases/sub")) ++entries;
  CHECK(entries == 1);
}

