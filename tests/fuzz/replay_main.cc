// Runs a libFuzzer target without libFuzzer: every file under the folders
// (or the files) given is passed to LLVMFuzzerTestOneInput once. A target
// signals a finding by aborting, so a clean exit means every input passed.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code error;
    if (std::filesystem::is_regular_file(argv[i], error)) {
      replay(argv[i]);
      ++inputs;
      continue;
    }
    for (std::filesystem::recursive_directory_iterator it(argv[i], error), end; !error && it != end;
         it.increment(error))
      if (it->is_regular_file()) {
        replay(it->path());
        ++inputs;
      }
    if (error) {
      std::fprintf(stderr, "cannot read the inputs in %s: %s\n", argv[i], error.message().c_str());
      return 2;
    }
  }
  if (inputs == 0) {
    std::fprintf(stderr, "no inputs to replay\n");
    return 2;
  }
  std::printf("%zu inputs replayed\n", inputs);
  return 0;
}
