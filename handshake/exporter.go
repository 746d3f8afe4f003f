package handshake

import (
	"crypto"
	"errors"

	"github.com/glasstls/glasstls/prf"
)

// Errors from ExportKeyingMaterial; compare with errors.Is. (A reserved
// label or an oversized context is one of prf's errors.)
var (
	// ErrExportBeforeHandshake: there is no master secret yet.
	ErrExportBeforeHandshake = errors.New("glasstls: ExportKeyingMaterial before the handshake completed")
	// ErrExportWithoutEMS: the connection did not use the extended master
	// secret (RFC 7627), so its master secret may be shared with another
	// connection an attacker set up (the triple handshake attack), and so
	// would everything exported from it. RFC 7627, 5.4 says such a
	// connection MUST NOT export keying material.
	ErrExportWithoutEMS = errors.New("glasstls: ExportKeyingMaterial without the extended master secret (RFC 7627, 5.4)")
)

// exporterInputs is what the exporter needs from the handshake: the suite's
// PRF hash, the master secret (of this handshake, or of the resumed
// session) and this connection's two randoms. Keeping them means the master
// secret lives as long as the Conn, as the record keys derived from it do.
type exporterInputs struct {
	prfHash                    crypto.Hash
	masterSecret               []byte
	clientRandom, serverRandom []byte
}

// ExportKeyingMaterial returns length bytes of keying material derived from
// the connection's master secret (RFC 5705): both peers get the same bytes
// for the same label and context, and nobody else can compute them. Use it
// to bind a higher layer to this TLS connection (channel binding) or to key
// another protocol.
//
// label names the use; RFC 5705, 4 asks for a label registered with IANA,
// or one starting with "EXPERIMENTAL" for private use. The labels TLS uses
// itself ("master secret", "key expansion", ...) are refused. context is
// optional: nil means no context, which differs from an empty one.
//
// It fails before the handshake completes, and on a connection that did not
// use the extended master secret (ErrExportWithoutEMS, see RFC 7627, 5.4):
// with a plain master secret, a man in the middle can make two connections
// (client to attacker, attacker to server) share the same master secret and
// randoms, and so the same exported keys.
func (c *Conn) ExportKeyingMaterial(label string, context []byte, length int) ([]byte, error) {
	if !c.handshakeDone.Load() {
		return nil, ErrExportBeforeHandshake
	}
	if !c.state.ExtendedMasterSecret {
		return nil, ErrExportWithoutEMS
	}
	e := c.exporter
	return prf.ExportKeyingMaterial(e.prfHash, e.masterSecret, e.clientRandom, e.serverRandom, label, context, length)
}
