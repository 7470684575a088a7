# fish completion for hmt. Options come from `hmt --help-options` (the
# table behind --help), case names from `hmt --list` run with the options
# already typed.

function __hmt_cases
    set -l words (commandline -opc)
    $words[1] $words[2..-1] --list 2>/dev/null
end

function __hmt_complete_options
    hmt --help-options 2>/dev/null | while read -l -d \t name value choices help
        set -l spec -c hmt -d "$help"
        if string match -q -- '--*' $name
            set -a spec -l (string sub -s 3 -- $name)
        else
            set -a spec -s (string sub -s 2 -- $name)
        end
        if test -n "$value"
            set -a spec -r
            if test -n "$choices"
                set -a spec -f -a "$choices"
            else if contains -- $value PATH FILE
                set -a spec -F
            else
                set -a spec -f
            end
        end
        complete $spec
    end
end

__hmt_complete_options
complete -c hmt -f -a '(__hmt_cases)'
