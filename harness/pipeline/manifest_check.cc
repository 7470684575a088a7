#include "harness/pipeline/manifest_check.h"

#include <fmt/core.h>

#include "assertions/script.h"
#include "harness/pipeline/golden.h"
#include "harness/report/report_common.h"
#include "process/temporary_folder.h"

namespace hmt {

CaseResult check_manifest(const Manifest& manifest, const std::filesystem::path& case_folder,
                          const CheckOptions& options, ProcessRunner& processes, bool* script_ran) {
  if (script_ran) *script_ran = false;
  const auto started = std::chrono::steady_clock::now();
  CaseResult result;
  result.name = manifest.name;
  result.file = manifest.file;
  result.tested = manifest.tested.string();

  // A private scratch folder: the script's $TMPDIR, $out and working folder.
  auto work = TemporaryFolder::create("hmt-case-");
  if (!work) {
    result.status = Status::Error;
    result.reason = work.error();
    return result;
  }
  std::error_code ec;
  if (!std::filesystem::exists(manifest.tested, ec)) {
    result.status = Status::Error;
    result.reason = fmt::format("the tested tree {} does not exist", manifest.tested.string());
    return result;
  }

  ScriptContext context;
  context.assertion.tested = manifest.tested;
  context.assertion.work_dir = work->path();
  context.assertion.store_dir = options.store_dir;
  context.assertion.input_roots = options.input_roots;
  context.case_name = manifest.name;
  context.helper = options.helper;
  context.runner = &processes;
  context.timeout = options.script_timeout;
  ScriptOutcome outcome = run_script(manifest.script, context);
  if (script_ran) *script_ran = true;

  result.status = case_status(outcome);
  result.assertions = std::move(outcome.assertions);
  result.output = std::move(outcome.output);
  const std::size_t failed = failed_assertion_count(result);
  if (outcome.error)
    result.reason = *outcome.error;
  else if (failed > 0)
    result.reason = assertions_failed_text(failed, result.assertions.size());

  if (options.update_golden && !case_folder.empty()) update_golden_files(result, case_folder);
  result.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace hmt
