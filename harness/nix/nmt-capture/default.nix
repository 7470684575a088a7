# Stands in for nmt when hmt loads an nmt suite entry (home-manager's
# tests/default.nix ends in `import nmtSrc { lib; pkgs; modules; tests; ... }`):
# instead of running the tests, it hands those arguments back to hmt.
arguments: { __hmtNmtSuite = arguments; }
