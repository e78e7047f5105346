//! `cmek completions SHELL`: completions generated from the clap definition (committed copies
//! live in completions/, and a test fails when they are stale).

use clap::Args;
use clap_complete::Shell;

use cmek::commands::exit::ExitStatus;

use super::Printer;

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: CompletionsArgs, printer: &Printer) -> Result<ExitStatus, cmek::Error> {
    let mut cmd = super::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "cmek", &mut buf);
    printer.stdout_bytes(&buf);
    Ok(ExitStatus::Yes)
}
