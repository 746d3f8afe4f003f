package nethttp

import (
	"crypto/tls" // for the ConnectionState type net/http's Request.TLS and Response.TLS hold, nothing else

	"github.com/glasstls/glasstls/handshake"
)

// ConnectionState returns s as crypto/tls describes a connection, the form
// net/http's Request.TLS and Response.TLS take: version, suite, server
// name, ALPN, peer certificates, verified chains, resumption, the OCSP
// staple, tls-unique and the ECDHE group.
//
// Its ExportKeyingMaterial method cannot work (the exporter's inputs live
// in the glasstls connection) and panics: call
// (*handshake.Conn).ExportKeyingMaterial instead.
func ConnectionState(s handshake.ConnectionState) tls.ConnectionState {
	return tls.ConnectionState{
		Version:                    s.Version,
		HandshakeComplete:          s.HandshakeComplete,
		DidResume:                  s.DidResume,
		CipherSuite:                s.CipherSuite,
		CurveID:                    tls.CurveID(s.CurveID), // both are the IANA group number
		NegotiatedProtocol:         s.NegotiatedProtocol,
		NegotiatedProtocolIsMutual: true, // always, since ALPN replaced NPN
		ServerName:                 s.ServerName,
		PeerCertificates:           s.PeerCertificates,
		VerifiedChains:             s.VerifiedChains,
		OCSPResponse:               s.OCSPResponse,
		TLSUnique:                  s.TLSUnique,
	}
}
