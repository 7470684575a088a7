# Types WORDS and a Tab into an interactive zsh (on a pseudo-terminal, with
# compinit and completions/_hmt loaded) and waits until the line shows
# EXPECTED, the text the completion should insert. The caller bounds the
# wait (timeout): zsh's own pattern read blocks until the text appears.
#
#   zsh -f zsh_complete.zsh COMPLETIONS_DIR HMT_DIR WORDS EXPECTED
zmodload zsh/zpty || exit 2
zpty -b shell zsh -f -i
zpty -w shell "PS1=''; fpath=(${(q)1} \$fpath); PATH=${(q)2}:\$PATH"
zpty -w shell "autoload -U compinit; compinit -u -D"
zpty -w -n shell "$3"$'\t'
zpty -r shell seen "*${4}*"
status_seen=$?
zpty -d shell
exit $status_seen
