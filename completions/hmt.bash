# bash completion for hmt. Options come from `hmt --help-options` (the
# table behind --help), case names from `hmt --list` run with the options
# already typed, so `hmt --cases DIR <TAB>` offers DIR's cases.
_hmt() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD-1]}
  local before=""
  ((COMP_CWORD >= 2)) && before=${COMP_WORDS[COMP_CWORD-2]}
  local hmt=${COMP_WORDS[0]}
  local table
  table=$("$hmt" --help-options 2>/dev/null) || return 0
  COMPREPLY=()

  local name value choices help
  while IFS=$'\t' read -r name value choices help; do
    [[ -n $value ]] || continue
    # The first value of an option that takes one or two.
    if [[ $prev == "$name" ]]; then
      if [[ -n $choices ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
      elif [[ $value == PATH || $value == FILE ]]; then
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
      return 0
    fi
    # The second value of --option NAME VALUE and the like.
    [[ $before == "$name" && $value == *" "* ]] && return 0
  done <<<"$table"

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(cut -f1 <<<"$table")" -- "$cur")
    return 0
  fi
  local cases
  cases=$("$hmt" "${COMP_WORDS[@]:1:COMP_CWORD-1}" --list 2>/dev/null) || return 0
  local IFS=$'\n'
  mapfile -t COMPREPLY < <(compgen -W "$cases" -- "$cur")
}
complete -o default -F _hmt hmt
