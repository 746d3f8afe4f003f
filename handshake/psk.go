package handshake

import (
	"errors"
	"slices"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// Pre-shared keys (RFC 4279, RFC 5489): the parts of the handshake that
// differ when a key both sides already hold replaces the certificate. The
// message flow (RFC 4279, 2):
//
//	ClientHello                  -->
//	                             <--  ServerHello
//	                                  ServerKeyExchange*  (psk_identity_hint; with ECDHE_PSK also the ECDHE share)
//	                             <--  ServerHelloDone
//	ClientKeyExchange            -->  (psk_identity; with ECDHE_PSK also the ECDHE share)
//	[ChangeCipherSpec], Finished -->
//	                             <--  [ChangeCipherSpec], Finished
//
// No Certificate, no CertificateRequest, no signature: each side proves it
// holds the key by computing the right Finished.

// ErrUnknownPSKIdentity is what Config.PSKLookup returns (or wraps) for an
// identity it does not know.
var ErrUnknownPSKIdentity = errors.New("glasstls: unknown PSK identity")

// unknownPSKKeyLen is the length of the random key that stands in for an
// unknown identity's (RFC 4279, 2): any length works, since nothing
// computed from it will match the client's.
const unknownPSKKeyLen = 32

// lookupPSK finds the key of the identity the client sent. An unknown
// identity is answered as Config.RevealUnknownPSKIdentity says (RFC 4279,
// 2): unknown_psk_identity now, or, by default, a random key, so that the
// handshake fails at the client's Finished exactly as with a wrong key.
func (hs *serverHandshakeState) lookupPSK(identity []byte) ([]byte, error) {
	c := hs.c
	hs.pskIdentity = string(identity)
	var psk []byte
	err := ErrUnknownPSKIdentity
	// RFC 4279, 5.3: identities up to 128 bytes must be supported; a
	// longer one cannot be any of ours.
	if len(identity) <= cipher.MaxPSKIdentityLen {
		psk, err = c.config.PSKLookup(hs.pskIdentity)
	}
	switch {
	case err == nil && len(psk) > 0 && len(psk) <= cipher.MaxPSKLen:
		return psk, nil
	case err == nil:
		return nil, record.Errorf(record.AlertInternalError, "PSKLookup returned a key of %d bytes for %q; want 1 to %d", len(psk), hs.pskIdentity, cipher.MaxPSKLen)
	case !errors.Is(err, ErrUnknownPSKIdentity):
		return nil, record.Errorf(record.AlertInternalError, "PSKLookup: %w", err)
	case c.config.RevealUnknownPSKIdentity:
		return nil, record.Errorf(record.AlertUnknownPSKIdentity, "client's PSK identity %q is unknown", hs.pskIdentity)
	}
	// Hide it: a key nobody knows, so the Finished the client sends will
	// not open, as with a known identity and a wrong key.
	hs.pskUnknown = true
	return c.randomBytes(unknownPSKKeyLen)
}

// pskFinishedError turns the record layer's bad_record_mac on the client's
// Finished, in a PSK handshake, into RFC 4279, 2's decrypt_error: the
// client's key differs from ours (or its identity is unknown and hidden).
// Both cases give the same alert and the same text, so neither the wire nor
// a log line sent to the client tells them apart.
func (hs *serverHandshakeState) pskFinishedError(err error) error {
	var alertErr *record.AlertError
	if hs.suite.Auth != cipher.AuthPSK || !errors.As(err, &alertErr) || alertErr.Remote || alertErr.Description != record.AlertBadRecordMAC {
		return err
	}
	return record.Errorf(record.AlertDecryptError, "client's Finished does not open: its pre-shared key differs from ours for identity %q (RFC 4279, 2)", hs.pskIdentity)
}

// pskServerKeyExchange is the server's PSK ServerKeyExchange (RFC 4279, 2;
// RFC 5489, 2): the identity hint, and for ECDHE_PSK the server's ECDHE
// share. Plain PSK without a hint sends none (nil).
func (hs *serverHandshakeState) pskServerKeyExchange() (*wire.ServerKeyExchange, error) {
	hint := []byte(hs.c.config.PSKIdentityHint)
	if hs.suite.KeyExchange == cipher.KeyExchangePSK {
		if len(hint) == 0 {
			return nil, nil
		}
		return &wire.ServerKeyExchange{KeyExchange: cipher.KeyExchangePSK, PSKIdentityHint: hint}, nil
	}
	serverKeyExchange, err := hs.newECDHEServerKeyExchange()
	if err != nil {
		return nil, err
	}
	serverKeyExchange.KeyExchange = cipher.KeyExchangeECDHEPSK
	serverKeyExchange.PSKIdentityHint = hint
	return serverKeyExchange, nil
}

// pskPreMasterSecret reads a PSK ClientKeyExchange (RFC 4279, 2; RFC 5489,
// 2) and computes the pre-master secret from the identity's key and, for
// ECDHE_PSK, the ECDHE shared secret.
func (hs *serverHandshakeState) pskPreMasterSecret(clientKeyExchange *wire.ClientKeyExchange) ([]byte, error) {
	withECDHE := hs.suite.KeyExchange == cipher.KeyExchangeECDHEPSK
	identity, clientPublicKey, ok := clientKeyExchange.PSKIdentity(withECDHE)
	if !ok {
		return nil, record.Errorf(record.AlertDecodeError, "malformed %v ClientKeyExchange", hs.suite.KeyExchange)
	}
	psk, err := hs.lookupPSK(identity)
	if err != nil {
		return nil, err
	}
	var otherSecret []byte // nil: RFC 4279, 2's N zero bytes
	if withECDHE {
		otherSecret, err = cipher.ECDHESharedSecret(hs.serverPrivateKey, clientPublicKey)
		if err != nil {
			return nil, record.Errorf(record.AlertIllegalParameter, "client's ECDHE public key: %w", err)
		}
	}
	preMasterSecret, err := cipher.PSKPreMasterSecret(otherSecret, psk)
	if err != nil {
		return nil, record.Errorf(record.AlertInternalError, "%w", err)
	}
	return preMasterSecret, nil
}

// readPSKServerKeyExchange reads the server's PSK ServerKeyExchange: required
// with ECDHE_PSK (it carries the server's share), optional with plain PSK
// (RFC 4279, 2: "If no hint is provided, the ServerKeyExchange message is
// omitted"). The hint is only a hint: our identity is Config.PSKIdentity.
func (hs *clientHandshakeState) readPSKServerKeyExchange() (*wire.ServerKeyExchange, error) {
	c := hs.c
	if hs.suite.KeyExchange == cipher.KeyExchangePSK {
		msg, err := c.readHandshakeMessage(&hs.transcript)
		if err != nil {
			return nil, err
		}
		serverKeyExchange, ok := msg.(*wire.ServerKeyExchange)
		if !ok {
			c.unreadHandshakeMessage(msg)
			return nil, nil
		}
		return serverKeyExchange, nil
	}
	serverKeyExchange, err := expectMessage[*wire.ServerKeyExchange](c, &hs.transcript, "ServerKeyExchange")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(hs.clientHello.SupportedCurves, serverKeyExchange.Curve) {
		return nil, record.Errorf(record.AlertIllegalParameter, "server chose group %v, which was not offered", serverKeyExchange.Curve)
	}
	hs.curveID = serverKeyExchange.Curve
	return serverKeyExchange, nil
}

// pskClientKeyExchange makes the pre-master secret from our key and, for
// ECDHE_PSK, a fresh ECDHE share on the server's curve, and the
// ClientKeyExchange that names our identity (RFC 4279, 2; RFC 5489, 2).
func (hs *clientHandshakeState) pskClientKeyExchange(serverKeyExchange *wire.ServerKeyExchange) ([]byte, *wire.ClientKeyExchange, error) {
	c := hs.c
	var otherSecret, clientPublicKey []byte // nil for plain PSK
	if hs.suite.KeyExchange == cipher.KeyExchangeECDHEPSK {
		clientPrivateKey, err := cipher.GenerateECDHEKey(c.config.rand(), serverKeyExchange.Curve)
		if err != nil {
			return nil, nil, record.Errorf(record.AlertInternalError, "%w", err)
		}
		otherSecret, err = cipher.ECDHESharedSecret(clientPrivateKey, serverKeyExchange.PublicKey)
		if err != nil {
			return nil, nil, record.Errorf(record.AlertIllegalParameter, "server's ECDHE public key: %w", err)
		}
		clientPublicKey = cipher.ECDHEPublicKey(clientPrivateKey)
	}
	preMasterSecret, err := cipher.PSKPreMasterSecret(otherSecret, c.config.PSK)
	if err != nil {
		return nil, nil, record.Errorf(record.AlertInternalError, "Config.PSK: %w", err)
	}
	return preMasterSecret, wire.NewPSKClientKeyExchange([]byte(c.config.PSKIdentity), clientPublicKey), nil
}
