# Only for Nix older than 2.10, which lacks builtins.traceVerbose: the
# suite's own modules (tests/stubs.nix) call it. A module whose `imports`
# name files gets those files read with a `builtins` that has it (it traces
# nothing, as by default). On any newer Nix a module is left as it is.
lib:
let
  builtinsWithTraceVerbose = builtins // {
    traceVerbose = _message: value: value;
  };
  readFile =
    path:
    if builtins.isPath path then
      {
        _file = toString path;
        key = toString path;
        imports = [ (scopedImport { builtins = builtinsWithTraceVerbose; } path) ];
      }
    else
      path;
  withImportsRead = value: if value ? imports then value // { imports = map readFile value.imports; } else value;
in
module:
if builtins ? traceVerbose then
  module
else if builtins.isFunction module then
  lib.setFunctionArgs (args: withImportsRead (module args)) (lib.functionArgs module)
else if builtins.isAttrs module then
  withImportsRead module
else
  module
