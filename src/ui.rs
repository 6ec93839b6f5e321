//! The terminal: colour, prompts allowed or not, and how messages reach stderr.

use std::io::IsTerminal;

use crate::cli::ColorChoice;
use crate::safe::printable_lines;

#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr.
    pub color_err: bool,
    /// Prompts are possible: stdin and stderr are terminals.
    pub interactive: bool,
    /// stdout is a terminal: tables rather than plain columns.
    pub stdout_terminal: bool,
}

impl Ui {
    pub fn new(choice: ColorChoice) -> Ui {
        let stdout_terminal = std::io::stdout().is_terminal();
        let stderr_terminal = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let wants = |terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Ui {
            color: wants(stdout_terminal),
            color_err: wants(stderr_terminal),
            interactive: std::io::stdin().is_terminal() && stderr_terminal,
            stdout_terminal,
        }
    }

    pub fn bold(&self, text: &str) -> String {
        paint(self.color, "1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        paint(self.color, "2", text)
    }

    pub fn green(&self, text: &str) -> String {
        paint(self.color, "32", text)
    }

    /// A message for the person, on stderr. Messages quote the files and git's output, so
    /// control characters are shown as escapes.
    pub fn note(&self, text: &str) {
        say!("rota: {}", printable_lines(text));
    }

    pub fn warn(&self, text: &str, hint: Option<&str>) {
        say!(
            "{} {}",
            paint(self.color_err, "33;1", "rota: warning:"),
            printable_lines(text)
        );
        if let Some(hint) = hint {
            say!("hint: {}", printable_lines(hint));
        }
    }
}

/// Questions on the terminal, answered one line each: a person types the answer and Enter.
/// Read a line at a time (the terminal hands over one line per read), typed-ahead answers
/// wait for their own questions instead of answering two at once. `None` at the end of input.
pub fn ask_line(prompt: &str) -> std::io::Result<Option<String>> {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{prompt}")?;
    stderr.flush()?;
    drop(stderr);
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

/// A yes/no question: `y`/`yes` or `n`/`no` then Enter, Enter alone for `default`. Anything
/// else asks again. `None` at the end of input.
pub fn ask_yes_no(question: &str, default: bool) -> std::io::Result<Option<bool>> {
    let choices = if default { "[Y/n]" } else { "[y/N]" };
    loop {
        let Some(answer) = ask_line(&format!("{question} {choices} "))? else {
            return Ok(None);
        };
        match answer.trim().to_lowercase().as_str() {
            "" => return Ok(Some(default)),
            "y" | "yes" => return Ok(Some(true)),
            "n" | "no" => return Ok(Some(false)),
            _ => say!(
                "  answer y or n (Enter: {})",
                if default { "y" } else { "n" }
            ),
        }
    }
}

impl Ui {
    /// A table on a terminal; columns two spaces apart, without borders, for pipes and files
    /// (comfy-table's `NOTHING` preset). Either fits [`table_width`] columns: cells wrap
    /// (comfy-table's dynamic arrangement) when the widest line would not.
    pub fn table<const N: usize>(&self, header: &[&str; N], rows: &[[String; N]]) -> String {
        let mut table = comfy_table::Table::new();
        table.load_style(if self.stdout_terminal {
            comfy_table::presets::UTF8_FULL_CONDENSED
        } else {
            comfy_table::presets::NOTHING
        });
        let width = table_width(self.stdout_terminal);
        table
            .force_no_tty()
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(u16::try_from(width).unwrap_or(u16::MAX))
            .set_header(header.to_vec());
        for row in rows {
            table.add_row(row.to_vec());
        }
        if !self.stdout_terminal {
            for (i, column) in table.column_iter_mut().enumerate() {
                column.set_padding((0, if i + 1 == N { 0 } else { 2 }));
            }
        }
        let mut out = String::new();
        for line in table.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// How wide a table may be: `COLUMNS` when it holds a width, else the terminal's, else 80
/// (output to a pipe or a file).
pub fn table_width(terminal: bool) -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return columns;
    }
    // A terminal that reports no width (0 columns: some containers' pseudo-terminals) gets 80.
    if terminal && let Some(width) = comfy_table::Table::new().width().filter(|w| *w > 0) {
        return usize::from(width);
    }
    80
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
