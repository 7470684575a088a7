// The fixed parts of the HTML report: its style sheet and the script that
// filters the cases. Kept apart from the reporter so each reads on its own.
#pragma once

#include <string_view>

namespace hmt::html_page {

inline constexpr std::string_view kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 80rem; padding: 1rem 2rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
.counts { display: flex; gap: .75rem; flex-wrap: wrap; margin: .5rem 0; }
.count { padding: .25rem .6rem; border-radius: 1rem; background: #eaeef2; font-weight: 600; }
.count.pass { background: #dafbe1; } .count.fail { background: #ffebe9; } .count.skip { background: #fff8c5; }
.filters { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; position: sticky; top: 0; background: #fff; padding: .5rem 0; }
.case { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; margin: .5rem 0; }
.case[data-status="pass"] { border-left-color: #1a7f37; } .case[data-status="skip"] { border-left-color: #bf8700; }
.case[data-failed="true"] { border-left-color: #cf222e; }
.case > summary { cursor: pointer; padding: .4rem .8rem; display: flex; gap: .75rem; align-items: baseline; }
.case .name { font-family: ui-monospace, monospace; font-weight: 600; }
.case .time, .case .reason { color: #57606a; }
.status { font-size: .75rem; font-weight: 700; padding: .05rem .4rem; border-radius: .3rem; background: #eaeef2; }
.body { padding: 0 .8rem .8rem; }
dl.where { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .3rem 0; }
dl.where dt { color: #57606a; } dl.where dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
.assertion { border-top: 1px solid #d8dee4; padding-top: .4rem; margin-top: .4rem; }
.assertion h3 { font: 600 .95rem ui-monospace, monospace; margin: .2rem 0; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; margin: .3rem 0; }
pre.nix-error { background: #fff5f5; }
.diff span { display: block; }
.diff-add { background: #dafbe1; color: #116329; } .diff-del { background: #ffebe9; color: #82071e; }
.diff-hunk { color: #0550ae; } .diff-file { font-weight: 700; }
.values { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.bail { background: #ffebe9; padding: .5rem; border-radius: 6px; }
)css";

// Applies the filter from the controls, or from the hash on load, and
// keeps the hash in step so a filtered view can be linked to.
inline constexpr std::string_view kScript = R"js(
(function () {
  var statusBox = document.getElementById('status-filter');
  var nameBox = document.getElementById('name-filter');
  var cases = Array.prototype.slice.call(document.querySelectorAll('.case'));
  function wanted(item, status, name) {
    var statusOk = status === 'all' || (status === 'fail' ? item.dataset.failed === 'true' : status === 'cached' ? item.dataset.cached === 'true' : item.dataset.status === status);
    return statusOk && item.dataset.name.toLowerCase().indexOf(name) >= 0;
  }
  function apply() {
    var status = statusBox.value, name = nameBox.value.toLowerCase(), shown = 0;
    cases.forEach(function (item) {
      var keep = wanted(item, status, name);
      item.hidden = !keep;
      if (keep) shown += 1;
    });
    document.getElementById('shown').textContent = shown + ' of ' + cases.length + ' cases shown';
    document.body.dataset.filter = status;
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (params.has('status')) statusBox.value = params.get('status');
    if (!statusBox.value) statusBox.value = 'all';
    nameBox.value = params.get('name') || '';
  }
  function writeHash() {
    var params = new URLSearchParams();
    if (statusBox.value !== 'all') params.set('status', statusBox.value);
    if (nameBox.value) params.set('name', nameBox.value);
    history.replaceState(null, '', '#' + params.toString());
  }
  statusBox.addEventListener('change', function () { writeHash(); apply(); });
  nameBox.addEventListener('input', function () { writeHash(); apply(); });
  window.addEventListener('hashchange', function () { readHash(); apply(); });
  readHash();
  apply();
})();
)js";

}  // namespace hmt::html_page
