//! Every report's exit status, in one place: the table of `docs/exit-codes.md`, in code. The binary
//! maps the outcome of a run to a process exit code here and nowhere else.

use super::enable::{EnableReport, EnableVerdict};
use super::fleet::{FleetReport, FleetVerdict};
use super::revoke::RevokeReport;
use super::status::{StatusReport, StatusVerdict};
use super::verify::{VerifyReport, VerifyVerdict};
use crate::error::Error;

/// What a run came to (docs/exit-codes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: done, and the answer is yes.
    Yes,
    /// 1: the command ran and its answer is no.
    No,
    /// 2: usage or invalid input; nothing changed.
    Usage,
    /// 3: our own side failed; nothing changed by the step that failed.
    OurSide,
    /// 4: enable stopped part-way; running it again resumes.
    Partial,
    /// 130: interrupted.
    Interrupted,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Yes => 0,
            ExitStatus::No => 1,
            ExitStatus::Usage => 2,
            ExitStatus::OurSide => 3,
            ExitStatus::Partial => 4,
            ExitStatus::Interrupted => 130,
        }
    }
}

/// A report's (or an error's) exit status.
pub trait Exit {
    /// The exit status this outcome maps to.
    fn exit_status(&self) -> ExitStatus;
}

impl Exit for VerifyReport {
    fn exit_status(&self) -> ExitStatus {
        match self.verdict {
            VerifyVerdict::Pass => ExitStatus::Yes,
            VerifyVerdict::Fail => ExitStatus::No,
        }
    }
}

impl Exit for EnableReport {
    fn exit_status(&self) -> ExitStatus {
        match self.verdict {
            EnableVerdict::Applied | EnableVerdict::NoChanges | EnableVerdict::Planned => {
                ExitStatus::Yes
            }
            EnableVerdict::Blocked | EnableVerdict::Failed => ExitStatus::No,
            EnableVerdict::Partial => ExitStatus::Partial,
        }
    }
}

impl Exit for StatusReport {
    fn exit_status(&self) -> ExitStatus {
        match self.head.verdict {
            StatusVerdict::Ok => ExitStatus::Yes,
            StatusVerdict::KeyUnusable | StatusVerdict::Drift | StatusVerdict::ActionNeeded => {
                ExitStatus::No
            }
        }
    }
}

impl Exit for FleetReport {
    fn exit_status(&self) -> ExitStatus {
        if self.interrupted {
            return ExitStatus::Interrupted;
        }
        match self.verdict {
            FleetVerdict::Ok => ExitStatus::Yes,
            FleetVerdict::KeyUnusable | FleetVerdict::Drift | FleetVerdict::ActionNeeded => {
                ExitStatus::No
            }
            FleetVerdict::Unreachable => ExitStatus::OurSide,
        }
    }
}

impl Exit for RevokeReport {
    fn exit_status(&self) -> ExitStatus {
        if self.is_yes() {
            ExitStatus::Yes
        } else {
            ExitStatus::No
        }
    }
}

impl Exit for Error {
    fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Input(_) => ExitStatus::Usage,
            Error::Aws(_) | Error::Local(_) => ExitStatus::OurSide,
        }
    }
}
