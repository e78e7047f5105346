//! What every service and command shares, below the services (nothing here imports a service):
//! the tenancy and its names, the step vocabulary, the registry record, report pieces and ids,
//! polling, time, and the customer key-policy statements.

pub mod clock;
pub mod evidence;
pub mod ids;
pub mod key_state;
pub mod kinds;
pub mod policy;
pub mod poll;
pub mod quota;
pub mod record;
pub mod report;
pub mod resource;
pub mod role_use;
pub mod signed;
pub mod steps;
pub mod tenancy;
