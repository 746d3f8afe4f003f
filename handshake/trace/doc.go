// Package trace has ready-made handshake.Tracer implementations: Text, an
// annotated narration of a connection; JSON, one object per event; and
// HexDump, every byte of every record labelled with the field it belongs
// to, like an illustrated TLS connection.
//
// Install one as handshake.Config.Trace:
//
//	config.Trace = trace.NewText(os.Stderr)
//	config.TraceSecrets = true // also show the pre-master and master secrets and the keys
//
// Files: trace.go has Text and JSON (protocol constants written as
// {"hex":"0xC02F","name":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}, as in
// zcrypto's handshake log), hexdump.go has HexDump. What each record and
// message contains, field by field, is labelled by the message codec
// (handshake/internal/wire) as it parses, and handed to a Tracer by
// package handshake (trace.go); these tracers only print it.
package trace
