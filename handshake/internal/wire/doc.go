// Package wire is the TLS 1.2 handshake message codec: every handshake
// message of RFC 5246, 7.4 (with RFC 5077's NewSessionTicket and RFC 6066's
// CertificateStatus) as a struct that marshals itself, the hello extensions,
// and the code points both need. The state machines in package handshake
// build and read these structs; they never parse or build a message's bytes.
//
// Read it in this order:
//
//	messages.go            the message table (messageTypes), Parse and Describe,
//	                       then each message: struct, Marshal, decode
//	extensions.go          the ExtensionType values and names, and each hello's
//	                       extensions, marshalled and decoded
//	certificate_status.go  CertificateStatus (RFC 6066, 8)
//	decoder.go             the decoder every decode method reads with
//	fields.go              Field, Enum, HexBytes: what Describe returns
//	names.go               the names Describe gives code points
//	record_fields.go       the labels of a record: header, protection, content
//	constants.go           code points and sizes the state machines use too
//	signature_schemes.go   SignatureScheme and its RFC 8446 names
//
// # One parser, two uses
//
// Each message has one decode method, written against the decoder, whose
// every read names the field the RFC names (client_version, cipher_suites,
// extension_data, ...). Parse runs it with labelling off to fill the struct,
// refusing a message with a byte missing, a byte left over or a value the
// RFC forbids (decode_error). Describe runs the very same method with
// labelling on and returns a Field for every byte: its name, its offsets in
// the message, its decoded value and a note. That is what the trace shows,
// so what a reader sees in a trace is exactly what the state machine read.
// Describe never fails: what does not decode is labelled "unparsed".
//
// Adding a message: its struct with Type, Marshal and decode, and one row
// in messageTypes. Adding an extension: its ExtensionType and name in
// extensions.go, a field and a case in the hello's marshalExtensions and
// decodeExtension, and the state machine that uses it.
//
// # Why internal
//
// The structs' fields are exported for package handshake, not for users:
// keeping the codec internal lets it change shape (a field renamed, a
// message split) without breaking anyone, as crypto/tls keeps its
// handshake_messages.go unexported. What tools need is public through
// package handshake: a Tracer receives every message and record as bytes
// with these Fields (handshake.Field is an alias of Field), each with byte
// offsets relative to the message or record, and a whole message's Fields
// nest inside the record that carried it. An illustrated page of a
// connection builds from those events; it needs no access to this package.
package wire
