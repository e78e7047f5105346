//! All output goes through the [`Printer`]: results to stdout, status, warnings, errors and
//! progress to stderr. Progress is drawn only on a terminal, never with --output json, -q or
//! --no-progress.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{GlobalArgs, OutputFormat};

/// Where output goes, and how much of it.
#[derive(Debug, Clone)]
pub struct Printer {
    progress: bool,
    color: bool,
    quiet: bool,
    /// The output format.
    pub format: OutputFormat,
}

impl Printer {
    pub fn new(g: &GlobalArgs) -> Self {
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            progress: stderr_tty && !g.quiet && !g.no_progress && g.output == OutputFormat::Table,
            color: stderr_tty && !no_color && g.output == OutputFormat::Table,
            format: g.output,
            quiet: g.quiet,
        }
    }

    /// Logging to stderr: -v cmek's own debug lines, -vv with the AWS SDK's configuration and
    /// retry decisions, -vvv cmek's trace lines. The SDK's wire-level crates never go above debug,
    /// so request headers (signatures, session tokens) are never logged.
    pub fn init_logging(&self, verbose: u8) {
        use tracing_subscriber::filter::{LevelFilter, Targets};
        use tracing_subscriber::prelude::*;
        if verbose == 0 {
            return;
        }
        let cmek = if verbose >= 3 {
            LevelFilter::TRACE
        } else {
            LevelFilter::DEBUG
        };
        let mut targets = Targets::new().with_target("cmek", cmek);
        if verbose >= 2 {
            targets = targets
                .with_target("aws_config", LevelFilter::DEBUG)
                .with_target("aws_smithy_runtime::client::retries", LevelFilter::DEBUG);
        }
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(self.color)
            .with_target(true);
        let _ = tracing_subscriber::registry()
            .with(layer.with_filter(targets))
            .try_init();
    }

    /// An error on stderr: one line, always shown.
    pub fn error(&self, msg: &str) {
        let one_line = super::render::clean(msg)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        eprintln!("cmek: {one_line}");
    }

    /// A status line on stderr (suppressed by -q).
    pub fn status(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{}", super::render::clean(msg));
        }
    }

    /// A warning on stderr (suppressed by -q).
    pub fn warn(&self, msg: &str) {
        if !self.quiet {
            eprintln!("cmek: warning: {}", super::render::clean(msg));
        }
    }

    /// The result, on stdout. A closed pipe (`cmek ... | head`) is not an error.
    /// Prints a report: its table, or with `--output json` exactly one JSON object.
    pub fn render<R: super::render::Render>(&self, report: &R) {
        if self.format == OutputFormat::Json {
            // Streamed: a fleet report of 10,000 rows is megabytes, never held as one string.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = serde_json::to_writer_pretty(&mut out, report)
                .map_err(std::io::Error::from)
                .and_then(|_| out.write_all(b"\n"))
                .and_then(|_| out.flush());
            if let Err(e) = written {
                tracing::debug!("stdout: {e}");
            }
        } else {
            self.stdout(&report.drawn());
        }
    }

    pub fn stdout(&self, text: &str) {
        self.stdout_bytes(text.as_bytes());
    }

    /// Raw bytes on stdout.
    pub fn stdout_bytes(&self, bytes: &[u8]) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes).and_then(|_| out.flush());
    }

    /// A progress bar on stderr, hidden when progress is off.
    pub fn bar(&self, msg: &str) -> ProgressBar {
        let pb = if self.progress {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        pb.set_style(
            ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} {elapsed} (eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.set_message(msg.to_string());
        pb
    }

    /// A spinner on stderr, hidden when progress is off.
    pub fn spinner(&self, msg: &str) -> ProgressBar {
        let pb = if self.progress {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(Duration::from_millis(100));
        pb
    }
}
