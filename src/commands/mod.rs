//! The commands, above the services: each composes the services into one answer and one report.
//! They never print; the binary renders their reports and takes the exit status from `exit`.

pub mod doctor;
pub mod enable;
pub mod evidence;
pub mod exit;
pub mod fleet;
pub mod inventory;
pub mod revoke;
pub mod revoke_watch;
pub mod status;
pub mod template;
pub mod tenancy;
pub mod terraform;
pub mod verify;
