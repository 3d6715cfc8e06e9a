//! The client runtime shared by every generated service: JSON, validation, errors, transport.
