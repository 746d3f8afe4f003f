// Package trace has ready-made handshake.Tracer implementations: Text, an
// annotated narration of a connection; JSON, one object per event;
// HexDump, every byte of every record labelled with the field it belongs
// to; and Page, the whole connection as one self-contained HTML page, like
// the illustrated TLS connection (a ladder, every byte annotated when you
// point at it, the key calculation, the certificate checks). Tee gives one
// connection to several of them.
//
// Install one as handshake.Config.Trace:
//
//	config.Trace = trace.NewText(os.Stderr)
//	config.TraceSecrets = true // also show the pre-master and master secrets and the keys
//
// Files: trace.go has Text and JSON (protocol constants written as
// {"hex":"0xC02F","name":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}, as in
// zcrypto's handshake log), hexdump.go has HexDump, page.go has Page
// (page_render.go draws it, page_sections.go knows where the RFCs define
// each field, page_assets.go holds its CSS and JavaScript), tee.go has Tee.
// What each record and message contains, field by field, is labelled by
// the message codec (handshake/internal/wire) as it parses, and handed to a
// Tracer by package handshake (trace.go); these tracers only print it.
package trace
