# What the module system knows of where a case's configuration came from,
# for hmt's record (--affected, --watch): builtins only, given the
# `options` of the case's evalModules.
#
#   files    the files whose definitions count for the case: of every
#            option with a definition above its default's priority, the
#            files of its definitions that take effect (after mkIf and
#            priorities; an empty list or set does not count, nor an
#            assertion that holds)
#   complete false when an option's definitions could not be worked out
#            (they throw, even where they take effect): the files then say
#            too little
#   loose    { files; complete; } the same without looking at definitions'
#            values: every definition that takes effect counts, empty or
#            not. More files, but it forces less, so it can still be
#            worked out when a value hits an error tryEval cannot catch
#   modules  every file that declares an option
#
# `meta` (maintainers, documentation) and `news` (what `home-manager news`
# shows) are left out: every module defines them, and no generation is made
# of them. So is every namespace whose `enable` is false (a program or
# service that is off, `programs.git.lfs` when LFS is off): what is defined
# in it takes effect through that module's own configuration, which its
# `enable` turns off; this also keeps recording cheap, as most of a case's
# options belong to modules that are off. Each option is tried on its own:
# one whose values throw counts all its definitions, and one whose
# definitions themselves throw makes the record incomplete.
{ options }:
let
  skipped = [
    "_module"
    "meta"
    "news"
  ];
  isOption = value: builtins.isAttrs value && (value._type or null) == "option";

  matters =
    path: definition:
    if path == [ "assertions" ] then
      builtins.any (assertion: !(assertion.assertion or true)) definition.value
    else
      definition.value != [ ] && definition.value != { };

  # The files of an option's definitions that matter (precise) or that take
  # effect, or [ null ] when they cannot be worked out.
  filesOf =
    precise: path: option:
    let
      attempt = builtins.tryEval (
        if (option.highestPrio or 1500) < 1500 then
          map (definition: definition.file) (
            if precise then
              builtins.filter (matters path) (option.definitionsWithLocations or [ ])
            else
              option.definitionsWithLocations or [ ]
          )
        else
          [ ]
      );
    in
    if attempt.success then
      attempt.value
    else if precise then
      filesOf false path option
    else
      [ null ];

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
  recorded =
    precise:
    let
      found = walk true (filesOf precise) [ ] options;
    in
    {
      files = unique (builtins.filter (file: file != null) found);
      complete = !(builtins.elem null found);
    };
in
recorded true
// {
  loose = recorded false;
  modules = unique (walk false (_path: option: option.declarations or [ ]) [ ] options);
}
