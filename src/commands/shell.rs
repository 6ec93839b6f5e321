//! Shell completions and the man page, generated from the same clap types as `--help`.

use clap::CommandFactory;

use crate::cli::{Cli, Shell};
use crate::error::{Error, Result};

pub fn completions(shell: Shell) -> String {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rota", &mut out);
    let script = without_hidden_commands(&String::from_utf8_lossy(&out), shell);
    match shell {
        clap_complete::Shell::Bash => script + BASH_DYNAMIC,
        clap_complete::Shell::Fish => script + FISH_DYNAMIC,
        clap_complete::Shell::Zsh => zsh_dynamic(&script),
        // clap's scripts as they are: commands, options and values, without the team's ids.
        _ => script,
    }
}

/// The script without the hidden commands (`complete`, `merge-driver`) among its candidates:
/// clap's scripts offer them next to the commands people type.
fn without_hidden_commands(script: &str, shell: clap_complete::Shell) -> String {
    let command = Cli::command();
    let hidden: Vec<&str> = command
        .get_subcommands()
        .filter(|c| c.is_hide_set())
        .map(|c| c.get_name())
        .collect();
    let mut out = String::with_capacity(script.len());
    for line in script.lines() {
        let offers = |name: &&str| match shell {
            clap_complete::Shell::Zsh => line.starts_with(&format!("'{name}:")),
            clap_complete::Shell::Fish => line.contains(&format!(" -f -a \"{name}\" ")),
            clap_complete::Shell::PowerShell => line
                .trim_start()
                .starts_with(&format!("[CompletionResult]::new('{name}', ")),
            clap_complete::Shell::Elvish => line.trim_start().starts_with(&format!("cand {name} ")),
            _ => false,
        };
        if hidden.iter().any(offers) {
            continue;
        }
        match line.trim_start().strip_prefix("opts=\"") {
            Some(words) if shell == clap_complete::Shell::Bash => {
                let indent = &line[..line.len() - line.trim_start().len()];
                let words: Vec<&str> = words
                    .trim_end_matches('"')
                    .split(' ')
                    .filter(|w| !hidden.contains(w))
                    .collect();
                out.push_str(&format!("{indent}opts=\"{}\"", words.join(" ")));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// What the completion scripts offer for an engineer id or a day, computed when completing:
/// the ids of the team found from the current directory, and today and the next 14 days.
/// Prints nothing when there is no team here.
pub fn candidates(context: &super::Context, what: &str) -> String {
    let Some(workspace) = super::current_dir()
        .and_then(|cwd| crate::store::Workspace::open(context.dir.as_deref(), &cwd))
        .ok()
    else {
        return String::new();
    };
    let roster = &workspace.roster;
    let lines: Vec<String> = if what == "ids" {
        roster.engineers.iter().map(|e| e.id.clone()).collect()
    } else {
        let today = roster.calendar.today(context.now);
        today.iter_days().take(15).map(|d| d.to_string()).collect()
    };
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Bash: engineer ids and days for the options and positions that take them; everything else
/// from clap's completion function.
const BASH_DYNAMIC: &str = r#"
_rota_dynamic() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" want=""
    case "${prev}" in
        --engineer|--as|--by) want=ids ;;
        --date|--from|--since|--until) want=dates ;;
    esac
    if [[ -z "${want}" && "${cur}" != -* ]]; then
        # Positions after the command, counting only words that are not options.
        local i command="" position=0
        for ((i = 1; i < COMP_CWORD; i++)); do
            case "${COMP_WORDS[i]}" in
                -*) ;;
                *) if [[ -z "${command}" ]]; then command="${COMP_WORDS[i]}"; else position=$((position + 1)); fi ;;
            esac
        done
        case "${command}:${position}" in
            away:0|next:0) want=ids ;;
            away:1|away:2|swap:0|swap:1|cover:0) want=dates ;;
            cover:1) want=ids ;;
        esac
    fi
    if [[ -n "${want}" ]]; then
        COMPREPLY=($(compgen -W "$(rota complete "${want}" 2>/dev/null)" -- "${cur}"))
        return 0
    fi
    _rota "$@"
}
complete -F _rota_dynamic -o nosort -o bashdefault -o default rota
"#;

/// Fish: the same candidates, added to clap's.
const FISH_DYNAMIC: &str = r#"
complete -c rota -l engineer -f -a '(rota complete ids 2>/dev/null)'
for option in date from until
    complete -c rota -l $option -f -a '(rota complete dates 2>/dev/null)'
end
# Whether the word being completed is position $argv[2] (from 0) after the command $argv[1],
# counting only the words that are not options.
function __fish_rota_position
    set -l words (commandline -opc)
    set -l command ""
    set -l position 0
    for word in $words[2..-1]
        switch $word
            case '-*'
            case '*'
                if test -z "$command"
                    set command $word
                else
                    set position (math $position + 1)
                end
        end
    end
    test "$command" = $argv[1] -a $position = $argv[2]
end
complete -c rota -n "__fish_rota_position away 0; or __fish_rota_position next 0; or __fish_rota_position cover 1" -f -a '(rota complete ids 2>/dev/null)'
complete -c rota -n "__fish_rota_position away 1; or __fish_rota_position away 2; or __fish_rota_position swap 0; or __fish_rota_position swap 1; or __fish_rota_position cover 0" -f -a '(rota complete dates 2>/dev/null)'
"#;

/// Zsh: clap's script, with the values that are ids or days completed by two functions that
/// ask rota.
fn zsh_dynamic(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 512);
    for line in script.lines() {
        // The helpers must exist before the script's last lines run the completion.
        if line.starts_with("if [ \"$funcstack[1]\" = \"_rota\" ]") {
            out.push_str(ZSH_HELPERS);
        }
        let is_id = line.ends_with(":ID:_default' \\")
            || line.starts_with("':id -- ")
            || line.starts_with("'::id -- ");
        let is_date = line.ends_with(":YYYY-MM-DD:_default' \\")
            || [
                ":from -- ",
                "::from -- ",
                "::to -- ",
                ":date -- ",
                ":first -- ",
                ":second -- ",
            ]
            .iter()
            .any(|p| line.starts_with(&format!("'{p}")));
        let line = match (is_id, is_date) {
            (true, _) => line.replacen(":_default'", ":_rota_ids'", 1),
            (_, true) => line.replacen(":_default'", ":_rota_dates'", 1),
            _ => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

const ZSH_HELPERS: &str = r#"(( $+functions[_rota_ids] )) ||
_rota_ids() {
    local -a ids
    ids=(${(f)"$(rota complete ids 2>/dev/null)"})
    compadd -a ids
}

(( $+functions[_rota_dates] )) ||
_rota_dates() {
    local -a dates
    dates=(${(f)"$(rota complete dates 2>/dev/null)"})
    compadd -V dates -a dates
}

"#;

/// The man page, `rota(1)`; its SUBCOMMANDS section names `rota-who(1)` and the others.
/// With `out`, writes it and one page per command there (so that those names exist).
pub fn man(context: &super::Context, out: Option<&std::path::Path>) -> Result<String> {
    let command = Cli::command();
    let Some(dir) = out else {
        return render(clap_mangen::Man::new(command));
    };
    let mut pages = vec![(
        "rota.1".to_string(),
        render(clap_mangen::Man::new(command.clone()))?,
    )];
    // Built, the command also holds clap's `help`, which rota.1 names too.
    let mut command = command;
    command.build();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("rota-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(name.clone());
        pages.push((format!("{name}.1"), render(clap_mangen::Man::new(page))?));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, &e))?;
    for (file, page) in &pages {
        let path = dir.join(file);
        std::fs::write(&path, page).map_err(|e| Error::io("write", &path, &e))?;
    }
    context.ui.note(&format!(
        "wrote {} man pages to {}: rota.1 and rota-COMMAND.1 for each command",
        pages.len(),
        dir.display()
    ));
    Ok(String::new())
}

fn render(man: clap_mangen::Man) -> Result<String> {
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| Error::internal(format!("cannot render the man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
