# What the module system knows of where a case's configuration came from,
# for hmt's record (--affected, --watch): builtins only, given the
# `options` of the case's evalModules.
#
#   files    the files whose definitions count for the case: of every
#            option with a definition above its default's priority, the
#            files of its definitions that take effect (after mkIf and
#            priorities; an empty list or set does not count, nor an
#            assertion that holds)
#   modules  every file that declares an option
#
# `meta` (maintainers, documentation) and `news` (what `home-manager news`
# shows) are left out: every module defines them, and no generation is made
# of them. So is every namespace whose `enable` is false (a program or
# service that is off, `programs.git.lfs` when LFS is off): what is defined
# in it takes effect through that module's own configuration, which its
# `enable` turns off; this also keeps recording cheap, as most of a case's
# options belong to modules that are off. Each option is tried on its own,
# so that one whose definitions throw leaves the others' files.
{ options }:
let
  skipped = [
    "_module"
    "meta"
    "news"
  ];
  isOption = value: builtins.isAttrs value && (value._type or null) == "option";

  counts =
    path: definition:
    if path == [ "assertions" ] then
      builtins.any (assertion: !(assertion.assertion or true)) definition.value
    else
      definition.value != [ ] && definition.value != { };

  filesOf =
    path: option:
    let
      attempt = builtins.tryEval (
        if (option.highestPrio or 1500) < 1500 then
          map (definition: definition.file) (
            builtins.filter (counts path) (option.definitionsWithLocations or [ ])
          )
        else
          [ ]
      );
    in
    if attempt.success then attempt.value else [ ];

  walk =
    prune: visit: path: value:
    if isOption value then
      visit path value
    else if builtins.isAttrs value && !(prune && disabled value) then
      builtins.concatMap (
        name: if builtins.elem name skipped then [ ] else walk prune visit (path ++ [ name ]) value.${name}
      ) (builtins.attrNames value)
    else
      [ ];

  disabled =
    node:
    node ? enable
    && isOption node.enable
    && (
      let
        attempt = builtins.tryEval (node.enable.value == false);
      in
      attempt.success && attempt.value
    );

  # Sorted, each once.
  unique =
    list:
    builtins.attrNames (
      builtins.listToAttrs (
        map (file: {
          name = toString file;
          value = null;
        }) list
      )
    );
in
{
  files = unique (walk true filesOf [ ] options);
  modules = unique (walk false (_path: option: option.declarations or [ ]) [ ] options);
}
