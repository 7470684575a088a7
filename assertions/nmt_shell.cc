#include "assertions/nmt_shell.h"

namespace hmt {

std::string_view nmt_shell_functions() {
  // Written for hmt after the documented behaviour of nmt and of nixpkgs'
  // stdenv setup: --replace-fail fails when the pattern is absent,
  // --replace-warn and --replace warn, --replace-quiet says nothing;
  // --subst-var NAME replaces @NAME@ by $NAME, --subst-var-by NAME VALUE by
  // VALUE.
  return R"bash(
_abs() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$TESTED/$1" ;;
  esac
}

substituteStream() {
  local var=$1 description=$2 pattern replacement mode content
  shift 2
  while (($#)); do
    case $1 in
      --replace | --replace-warn | --replace-fail | --replace-quiet)
        mode=$1 pattern=$2 replacement=$3
        shift 3
        ;;
      --subst-var)
        local name=$2
        if ! declare -p "$name" &>/dev/null; then
          printf 'substituteStream: variable %s is unset (in %s)\n' "$name" "$description" >&2
          return 1
        fi
        mode=--replace-quiet pattern="@$name@" replacement=${!name}
        shift 2
        ;;
      --subst-var-by)
        mode=--replace-quiet pattern="@$2@" replacement=$3
        shift 3
        ;;
      *)
        printf 'substituteStream: unknown argument %q (in %s)\n' "$1" "$description" >&2
        return 1
        ;;
    esac
    content=${!var}
    if [[ $content != *"$pattern"* ]]; then
      case $mode in
        --replace-fail)
          printf 'substituteStream: pattern %q not found in %s\n' "$pattern" "$description" >&2
          return 1
          ;;
        --replace | --replace-warn)
          printf 'substituteStream: warning: pattern %q not found in %s\n' "$pattern" "$description" >&2
          ;;
      esac
      continue
    fi
    printf -v "$var" '%s' "${content//"$pattern"/"$replacement"}"
  done
  printf '%s' "${!var}"
}

substitute() {
  local input=$1 output=$2 hmt_substituted
  shift 2
  if [[ ! -f $input ]]; then
    printf 'substitute: file %q does not exist\n' "$input" >&2
    return 1
  fi
  # Read with a sentinel, so that trailing newlines survive $(...).
  hmt_substituted=$(cat "$input"; printf x)
  hmt_substituted=${hmt_substituted%x}
  substituteStream hmt_substituted "file $input" "$@" >"$output.hmt-tmp" || { rm -f "$output.hmt-tmp"; return 1; }
  mv "$output.hmt-tmp" "$output"
}

substituteInPlace() {
  local file=$1
  shift
  substitute "$file" "$file" "$@"
}
)bash";
}

}  // namespace hmt
