package handshake

import (
	"errors"

	"github.com/glasstls/glasstls/x509verify"
)

// noteFinished keeps the first Finished's verify_data of the client's
// handshake for tls-unique (RFC 5929, 3.1: "the first TLS Finished message
// sent ... in the most recent handshake"): the client's in a full
// handshake, the server's in an abbreviated one.
func (hs *clientHandshakeState) noteFinished(verifyData []byte) {
	if hs.firstFinished == nil {
		hs.firstFinished = verifyData
	}
}

// noteFinished: see the client's.
func (hs *serverHandshakeState) noteFinished(verifyData []byte) {
	if hs.firstFinished == nil {
		hs.firstFinished = verifyData
	}
}

// tlsUnique is the tls-unique channel binding (RFC 5929, 3) of a handshake
// whose first Finished carried firstFinished, or nil where it must not be
// used: on a resumption without the extended master secret, two
// connections can share the value (the triple handshake attack; RFC 7627,
// 1 and 5.3), so crypto/tls gives none there either.
func tlsUnique(firstFinished []byte, resumed, extendedMasterSecret bool) []byte {
	if resumed && !extendedMasterSecret {
		return nil
	}
	return firstFinished
}

// VerifyHostname checks that the server's certificate, as verified during
// the handshake, is valid for host (a DNS name or an IP address), as
// crypto/tls's Conn.VerifyHostname does: for a client that dialled one name
// and wants to reuse the connection for another (HTTP/2 connection
// coalescing). It is an error on a server, before the handshake, and when
// the chain was not verified (InsecureSkipVerify). A resumed connection
// checks its session's chain, which the client verified again before
// offering the session.
func (c *Conn) VerifyHostname(host string) error {
	if !c.isClient {
		return errors.New("glasstls: VerifyHostname called on a server connection")
	}
	if !c.handshakeDone.Load() {
		return errors.New("glasstls: VerifyHostname called before the handshake finished")
	}
	if len(c.state.VerifiedChains) == 0 || len(c.state.PeerCertificates) == 0 {
		return errors.New("glasstls: VerifyHostname: the handshake did not verify the server's certificate chain")
	}
	return x509verify.VerifyHostname(c.state.PeerCertificates[0], host)
}

// OCSPResponse returns the OCSP response the server stapled (RFC 6066, 8),
// unchecked, as ConnectionState().OCSPResponse has it: nil on a server,
// before the handshake, and without Config.RequestOCSPStaple.
func (c *Conn) OCSPResponse() []byte {
	return c.ConnectionState().OCSPResponse
}
