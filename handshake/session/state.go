package session

import (
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// State is one resumable session: what both sides remember of a full
// handshake so that a later one can skip to Finished (RFC 5246, 7.3).
//
// The server keeps a State in its session ID cache or seals it into a
// ticket; the client keeps one per server in its ClientCache, together with
// the session ID and ticket it will offer.
type State struct {
	// Version is the protocol version (0x0303, TLS 1.2).
	Version uint16
	// CipherSuite is the IANA id of the suite; a resumed handshake must use
	// the same one (RFC 5246, 7.4.1.3).
	CipherSuite uint16
	// MasterSecret is the 48-byte master secret of the full handshake. It is
	// the whole point of the session and the reason a State is a secret.
	MasterSecret []byte
	// ExtendedMasterSecret records whether RFC 7627 made MasterSecret; the
	// resumed handshake must agree (RFC 7627, 5.3).
	ExtendedMasterSecret bool
	// ServerName is the SNI name of the full handshake (RFC 6066, 3: a
	// server must not resume a session for a different name).
	ServerName string
	// PeerCertificates is the peer's chain in DER, leaf first: the client's
	// certificate chain on a server (empty if it sent none), the server's
	// chain on a client. A resumed connection reports it again.
	PeerCertificates [][]byte
	// OCSPResponse is the OCSP response the server stapled to its
	// certificate (RFC 6066, 8), empty if none: a client reports it again
	// on resumption, where no Certificate is sent.
	OCSPResponse []byte
	// CreatedAt is when the full handshake happened; lifetimes count from
	// here, and a fresh ticket issued on resumption keeps it, so a session
	// cannot be stretched for ever by resuming it.
	CreatedAt time.Time

	// The fields below are the client's alone: what to offer the server.

	// SessionID is the ID the server gave in its ServerHello (empty if it
	// gave none).
	SessionID []byte
	// Ticket is the opaque ticket from NewSessionTicket (RFC 5077, 3.3),
	// empty if the server sent none.
	Ticket []byte
	// TicketLifetimeHint is the server's hint: how long, in seconds, the
	// ticket is worth keeping (0: unspecified).
	TicketLifetimeHint uint32
	// Verified records that the client verified PeerCertificates (against
	// its RootCAs, for ServerName) in the full handshake that made the
	// session. A verifying client never offers a session without it: one
	// made by an InsecureSkipVerify Config proves nothing about the server.
	Verified bool

	// PSKIdentity is the pre-shared key identity of a PSK or ECDHE_PSK
	// session (RFC 4279, 2), empty for a certificate suite. Both sides keep
	// it: a resumed connection reports it again, and the server checks that
	// Config.PSKLookup still knows it before resuming.
	PSKIdentity string
}

// EncodingVersion is the version of the encoding Marshal writes. Unmarshal
// refuses any other, so an old session file or ticket is dropped, never
// misread.
const EncodingVersion uint16 = 3

// Marshal encodes s in the documented encoding below, written in the
// presentation language of RFC 5246, 4:
//
//	struct {
//	    uint16 encoding_version;              /* EncodingVersion */
//	    uint16 version;                       /* 0x0303 */
//	    uint16 cipher_suite;
//	    uint8  extended_master_secret;        /* 0 or 1 */
//	    uint64 created_at;                    /* Unix seconds */
//	    opaque master_secret<1..2^8-1>;
//	    opaque server_name<0..2^16-1>;
//	    ASN.1Cert peer_certificates<0..2^24-1>; /* each opaque <1..2^24-1> */
//	    opaque ocsp_response<0..2^24-1>;
//	    opaque session_id<0..32>;
//	    opaque ticket<0..2^16-1>;
//	    uint32 ticket_lifetime_hint;
//	    uint8  verified;                      /* 0 or 1 */
//	    opaque psk_identity<1..2^16-1>;       /* optional: PSK suites only */
//	} SessionState;
//
// psk_identity is written only for a session with a PSK identity, and its
// absence means none: a session of a certificate suite encodes exactly as
// before the field existed, so tickets and session files written then stay
// valid (which is why EncodingVersion did not change).
//
// A server seals this (with empty session_id and ticket) into its tickets;
// a client writes it to a session file (see MarshalPEM).
func (s *State) Marshal() ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint16(EncodingVersion)
	b.AddUint16(s.Version)
	b.AddUint16(s.CipherSuite)
	if s.ExtendedMasterSecret {
		b.AddUint8(1)
	} else {
		b.AddUint8(0)
	}
	b.AddUint64(uint64(s.CreatedAt.Unix()))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.MasterSecret) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(s.ServerName)) })
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, cert := range s.PeerCertificates {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(cert) })
		}
	})
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.OCSPResponse) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.SessionID) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.Ticket) })
	b.AddUint32(s.TicketLifetimeHint)
	if s.Verified {
		b.AddUint8(1)
	} else {
		b.AddUint8(0)
	}
	if s.PSKIdentity != "" {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(s.PSKIdentity)) })
	}
	if len(s.MasterSecret) == 0 {
		return nil, errors.New("session: no master secret")
	}
	if len(s.SessionID) > 32 {
		return nil, errors.New("session: session ID longer than 32 bytes")
	}
	return b.Bytes()
}

// ErrMalformed is returned by Unmarshal for bytes that are not a session
// in EncodingVersion.
var ErrMalformed = errors.New("session: malformed session state")

// Unmarshal decodes what Marshal wrote. Any other encoding version, a
// length that does not add up, or trailing bytes give ErrMalformed.
func Unmarshal(data []byte) (*State, error) {
	s := cryptobyte.String(data)
	var (
		encodingVersion uint16
		state           State
		ems             uint8
		verified        uint8
		created         uint64
		masterSecret    cryptobyte.String
		serverName      cryptobyte.String
		certificates    cryptobyte.String
		ocspResponse    cryptobyte.String
		sessionID       cryptobyte.String
		ticket          cryptobyte.String
		pskIdentity     cryptobyte.String
	)
	if !s.ReadUint16(&encodingVersion) || encodingVersion != EncodingVersion {
		return nil, fmt.Errorf("%w: unknown encoding version", ErrMalformed)
	}
	if !s.ReadUint16(&state.Version) || !s.ReadUint16(&state.CipherSuite) ||
		!s.ReadUint8(&ems) || ems > 1 || !s.ReadUint64(&created) ||
		!s.ReadUint8LengthPrefixed(&masterSecret) || masterSecret.Empty() ||
		!s.ReadUint16LengthPrefixed(&serverName) ||
		!s.ReadUint24LengthPrefixed(&certificates) ||
		!s.ReadUint24LengthPrefixed(&ocspResponse) ||
		!s.ReadUint8LengthPrefixed(&sessionID) || len(sessionID) > 32 ||
		!s.ReadUint16LengthPrefixed(&ticket) ||
		!s.ReadUint32(&state.TicketLifetimeHint) ||
		!s.ReadUint8(&verified) || verified > 1 {
		return nil, ErrMalformed
	}
	// The optional trailing psk_identity: present means non-empty.
	if !s.Empty() && (!s.ReadUint16LengthPrefixed(&pskIdentity) || pskIdentity.Empty()) || !s.Empty() {
		return nil, ErrMalformed
	}
	for !certificates.Empty() {
		var cert cryptobyte.String
		if !certificates.ReadUint24LengthPrefixed(&cert) || cert.Empty() {
			return nil, ErrMalformed
		}
		state.PeerCertificates = append(state.PeerCertificates, []byte(cert))
	}
	if created > 1<<62 {
		return nil, ErrMalformed
	}
	state.ExtendedMasterSecret = ems == 1
	state.Verified = verified == 1
	state.CreatedAt = time.Unix(int64(created), 0).UTC()
	state.MasterSecret = []byte(masterSecret)
	state.ServerName = string(serverName)
	state.PSKIdentity = string(pskIdentity)
	if len(ocspResponse) > 0 {
		state.OCSPResponse = []byte(ocspResponse)
	}
	if len(sessionID) > 0 {
		state.SessionID = []byte(sessionID)
	}
	if len(ticket) > 0 {
		state.Ticket = []byte(ticket)
	}
	return &state, nil
}

// pemType is the PEM block type of a session file.
const pemType = "GLASSTLS SESSION"

// MarshalPEM wraps Marshal in a PEM block, the format of the session files
// examples/client reads and writes with -sess_in and -sess_out (the same
// idea as OpenSSL's "SSL SESSION PARAMETERS" files, but not their format).
// The file holds a master secret: keep it private.
func (s *State) MarshalPEM() ([]byte, error) {
	der, err := s.Marshal()
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der}), nil
}

// UnmarshalPEM reads what MarshalPEM wrote.
func UnmarshalPEM(data []byte) (*State, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != pemType {
		return nil, fmt.Errorf("%w: no %q PEM block", ErrMalformed, pemType)
	}
	return Unmarshal(block.Bytes)
}
