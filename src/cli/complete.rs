//! Shell completions that know the language: `mesosc completions bash`
//! prints a completion function that asks `mesosc __complete` for its
//! candidates, so they are always those of the installed mesosc: the
//! commands and flags of the clap definitions, `.mcl` files (and folders) for
//! FILE, every diagnostic code after `explain`, and after `--env` the
//! environments declared by the file already on the command line. Other
//! shells get clap's generated script (commands and flags), which fish
//! completes further with the same candidates.

use std::path::Path;

use clap::CommandFactory;

use super::Cli;

/// The completion script for `shell`.
pub fn script(shell: clap_complete::Shell) -> String {
    if shell == clap_complete::Shell::Bash {
        return BASH.to_owned();
    }
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "mesosc", &mut text);
    let mut script = String::from_utf8_lossy(&text).into_owned();
    if shell == clap_complete::Shell::Fish {
        script.push_str(FISH);
    }
    script
}

/// bash: the word before the cursor decides what is offered.
const BASH: &str = r#"# mesosc completion for bash: `source <(mesosc completions bash)`.
# Candidates come from `mesosc __complete KIND [ARG]` (commands, flags of a
# command, diagnostic codes, the environments of a file).
_mesosc() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local sub="" file="" w i
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            -*) ;;
            *)
                case ${COMP_WORDS[i-1]} in
                    --env|--out|-o|--color|--message-format|--stdin-filename) continue ;;
                esac
                if [[ -z $sub ]]; then sub=$w; elif [[ -z $file ]]; then file=$w; fi
                ;;
        esac
    done
    local IFS=$'\n'
    case $prev in
        --env)
            COMPREPLY=($(compgen -W "$(mesosc __complete envs "$file" 2>/dev/null)" -- "$cur"))
            return ;;
        --out|-o)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return ;;
        --color)
            COMPREPLY=($(compgen -W $'auto\nalways\nnever' -- "$cur"))
            return ;;
        --message-format)
            COMPREPLY=($(compgen -W $'human\njson' -- "$cur"))
            return ;;
    esac
    if [[ -z $sub ]]; then
        COMPREPLY=($(compgen -W "$(mesosc __complete commands 2>/dev/null)" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(mesosc __complete flags "$sub" 2>/dev/null)" -- "$cur"))
        return
    fi
    case $sub in
        explain)
            COMPREPLY=($(compgen -W "$(mesosc __complete codes 2>/dev/null)" -- "$cur")) ;;
        completions)
            COMPREPLY=($(compgen -W $'bash\nelvish\nfish\npowershell\nzsh' -- "$cur")) ;;
        check|build|diff|plan|graph|fix|fmt)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -X '!*.mcl' -- "$cur") $(compgen -d -- "$cur")) ;;
    esac
}
complete -F _mesosc mesosc
"#;

/// fish: the same candidates, after clap's commands and flags.
const FISH: &str = r#"
# Candidates that know the language (from `mesosc __complete`).
complete -c mesosc -n "__fish_seen_subcommand_from explain" -f -a "(mesosc __complete codes)"
complete -c mesosc -n "__fish_seen_subcommand_from check build diff plan graph fix fmt" -k -a "(__fish_complete_suffix .mcl)"
complete -c mesosc -l env -x -a "(mesosc __complete envs (commandline -opc | string match -r '.*\.mcl\$' | head -n1))"
"#;

/// The candidates of one kind, one a line: `commands`, `flags COMMAND`,
/// `codes`, `envs FILE`.
pub fn candidates(kind: &str, arg: Option<&str>) -> Vec<String> {
    match kind {
        "commands" => {
            let cmd = Cli::command();
            cmd.get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name().to_owned())
                .collect()
        }
        "flags" => flags(arg.unwrap_or_default()),
        "codes" => mesosc::explain::codes()
            .map(|d| d.code.to_owned())
            .collect(),
        "envs" => arg.map(|f| environments(Path::new(f))).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Every `--long` and `-s` flag of a command (global ones included).
fn flags(command: &str) -> Vec<String> {
    let mut cli = Cli::command();
    cli.build();
    let Some(sub) = cli.find_subcommand(command) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
        if let Some(long) = arg.get_long() {
            out.push(format!("--{long}"));
        }
        if let Some(short) = arg.get_short() {
            out.push(format!("-{short}"));
        }
    }
    out.sort();
    out
}

/// The environments `file` declares (none when it cannot be read).
fn environments(file: &Path) -> Vec<String> {
    let options = mesosc::Options {
        env: None,
        drop_resolved: false,
    };
    let none = |_: &str| None;
    let Ok(checked) = mesosc::check_path(file, &mesosc::files::DiskFiles, &none, &options) else {
        return Vec::new();
    };
    let mut names: Vec<String> = (checked.resolved.iter())
        .flat_map(|r| r.environments.iter().map(|e| e.node.clone()))
        .collect();
    names.sort();
    names.dedup();
    names
}
