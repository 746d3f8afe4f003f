// Package interop runs real TLS peers (OpenSSL's s_server and s_client) and
// other external tools from glasstls tests, so that the library is checked
// against independent implementations and not only against itself.
//
// Everything here is test-only plumbing and implements no RFC. Its
// guarantees are about hygiene: every listener binds 127.0.0.1 only, every
// process is killed and reaped through t.Cleanup, every wait has a timeout,
// and a missing tool skips the test locally but fails it when CI=true so
// that CI cannot silently test less.
package interop
