//! gongkai's domain: pure types and rules of government information disclosure under the 2019
//! Regulation. No I/O, no async, no reads of the system clock: time is always a parameter.

pub mod application;
pub mod calendar;
pub mod markup;
pub mod records;
pub mod report;
pub mod site_form;
