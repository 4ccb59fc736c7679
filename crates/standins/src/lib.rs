//! Platform stand-ins: HTTP servers on 127.0.0.1 that follow shared/contracts/platform-apis.md.
