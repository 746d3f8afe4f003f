package handshake

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"io"
	"slices"
	"sync/atomic"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/x509verify"
)

// VersionTLS12 is the only protocol version glasstls negotiates (RFC 5246).
const VersionTLS12 uint16 = 0x0303

// A Certificate is a certificate chain and the private key of its leaf.
type Certificate struct {
	// Certificate is the chain in DER, leaf first, as sent in the
	// Certificate message (RFC 5246, 7.4.2).
	Certificate [][]byte
	// PrivateKey is the leaf's key: *rsa.PrivateKey, *ecdsa.PrivateKey, or any
	// crypto.Signer (a crypto.Decrypter too, for RSA key exchange).
	PrivateKey crypto.PrivateKey
	// Leaf is the parsed first certificate; X509KeyPair fills it in.
	Leaf *x509.Certificate
	// SupportedSignatureAlgorithms, if set, are the only schemes this key
	// signs with, most preferred first, in place of Config.SignatureSchemes:
	// for a key that can make only some signatures (a token limited to
	// PKCS #1 v1.5), or to pin the choice. A certificate whose schemes the
	// peer does not accept is passed over for the next one.
	SupportedSignatureAlgorithms []SignatureScheme
	// OCSPStaple is a DER OCSP response for the leaf (RFC 6960), sent to a
	// client that asks for it (status_request, RFC 6066, 8) in a
	// CertificateStatus message. Empty means none: the server does not
	// acknowledge status_request. The server sends it as it is; keeping it
	// fresh is the application's job.
	OCSPStaple []byte
}

// ClientAuthType says whether a server asks for a client certificate and
// what it does with it (RFC 5246, 7.4.4). The modes are those of crypto/tls.
type ClientAuthType int

const (
	// NoClientCert: no CertificateRequest is sent.
	NoClientCert ClientAuthType = iota
	// RequestClientCert: ask, accept whatever comes (or nothing), verify nothing.
	RequestClientCert
	// RequireAnyClientCert: a certificate must come; it is not verified.
	RequireAnyClientCert
	// VerifyClientCertIfGiven: a certificate may come; if it does it must verify.
	VerifyClientCertIfGiven
	// RequireAndVerifyClientCert: a certificate must come and must verify.
	RequireAndVerifyClientCert
)

// Config configures a client or a server. A Config may be shared by many
// connections and must not be modified once in use.
type Config struct {
	// Rand is the source of every random byte: the randoms, the ECDHE keys,
	// the RSA pre-master secret, CBC IVs. Nil means crypto/rand. A fixed
	// source makes a handshake repeat byte for byte (for ECDHE with RSA
	// PKCS#1 v1.5 signatures: Go 1.26 itself always uses system randomness
	// for RSA encryption padding, PSS salts and ECDSA nonces).
	Rand io.Reader
	// Time returns the current time (for certificate validity and sessions).
	// Nil means time.Now.
	Time func() time.Time

	// Certificates are the chains a server presents (or a client presents when
	// asked). A server with several picks by the client's server_name (RFC
	// 6066, 3): those whose leaf names it exactly, else through a wildcard
	// ("*.example.com"), else all of them; among those, the first whose key
	// the client can use with the suite the server prefers (key type,
	// signature schemes, curves). No name match means the first usable one.
	Certificates []Certificate
	// GetCertificate, if set, chooses a server's certificate for each
	// ClientHello: for virtual hosting with many names, or to reload
	// certificates without a restart. Returning (nil, nil) falls back to
	// Certificates. An error ends the handshake with internal_error, or
	// with the alert it wraps: record.Errorf(record.AlertUnrecognizedName,
	// ...) refuses a name, as RFC 6066, 3 allows.
	GetCertificate func(*ClientHelloInfo) (*Certificate, error)
	// GetConfigForClient, if set, is called on a server with each
	// ClientHello before anything else is chosen, and may return the Config
	// to use for the rest of the handshake (nil keeps this one). Errors end
	// the handshake as GetCertificate's do. A returned Config resumes only
	// sessions its own SessionCache and TicketKeys know: share them across
	// the Configs it returns.
	GetConfigForClient func(*ClientHelloInfo) (*Config, error)
	// GetClientCertificate, if set, chooses the client's certificate when a
	// server asks for one. Returning a Certificate with no chain sends an
	// empty Certificate message.
	GetClientCertificate func(*CertificateRequestInfo) (*Certificate, error)

	// RootCAs are the roots a client trusts for server certificates.
	// Nil means the machine's trust store (x509verify.SystemPool, read
	// once per process).
	RootCAs *x509verify.Pool
	// ServerName is the host name the client sends in server_name (RFC 6066)
	// and checks the server's certificate against.
	ServerName string
	// VerifyProfile chooses how strictly the peer's certificates are
	// judged, by a client verifying the server and by a server verifying a
	// client (x509verify.Options.Profile): x509verify.ProfileCompat, the
	// zero value, accepts what crypto/x509 does; ProfileRFC5280 adds
	// RFC 5280's rules for the certificates of the path; ProfileWebPKI adds
	// the CA/Browser Forum Baseline Requirements. A chain refused by the
	// profile ends the handshake with bad_certificate (unsupported_certificate
	// for a key the Web PKI does not allow). x509verify.Lints tells what a
	// stricter profile would say about ConnectionState.VerifiedChains.
	VerifyProfile x509verify.Profile
	// InsecureSkipVerify makes the client accept any server certificate.
	// For teaching and testing only: it allows a man in the middle.
	InsecureSkipVerify bool
	// VerifyConnection, if set, runs after certificate verification on both
	// sides; returning an error aborts the handshake with bad_certificate.
	// On a server it runs once the client has proven its certificate
	// (after CertificateVerify), and also when the client sent none: the
	// place to authorize a client by name (see examples/tunnel).
	// It runs on resumed sessions too (ConnectionState.DidResume is set),
	// so resuming cannot bypass a policy.
	VerifyConnection func(ConnectionState) error

	// ClientAuth is the server's client certificate policy.
	ClientAuth ClientAuthType
	// ClientCAs are the roots a server trusts for client certificates; their
	// subjects are listed in the CertificateRequest.
	// Nil means the machine's trust store (x509verify.SystemPool, read
	// once per process), and an empty certificate_authorities list: any
	// client certificate from a public CA is then accepted, so set it
	// whenever client certificates authorize anything.
	ClientCAs *x509verify.Pool

	// CipherSuites lists the suites to offer or accept, by IANA id, in order
	// of preference. Nil means cipher.DefaultSuites().
	CipherSuites []uint16
	// CurvePreferences lists the key exchange groups, in order of
	// preference: the ECDHE curves and the RFC 7919 finite-field groups
	// (cipher.FFDHE2048, ...) for the DHE suites. Nil means
	// cipher.DefaultCurves() and cipher.DefaultFFDHEGroups(); a list with
	// curves but no finite-field group means DefaultFFDHEGroups for DHE,
	// and a list with finite-field groups but no curve disables ECDHE.
	CurvePreferences []cipher.CurveID
	// NextProtos lists the ALPN protocols (RFC 7301), in order of preference.
	NextProtos []string

	// Pre-shared keys (RFC 4279 PSK, RFC 5489 ECDHE_PSK): both sides hold
	// a secret chosen out of band, named by an identity, and the key
	// authenticates both; no certificates. Setting a key on a side makes it
	// offer (client) or accept (server) the PSK suites, ahead of the
	// certificate suites when CipherSuites is nil: ECDHE_PSK first, which is
	// forward secret, then plain PSK, which is not (whoever later learns the
	// key reads every recorded session).
	//
	// PSKIdentity and PSK are the client's: the identity it sends
	// (ClientKeyExchange, at most cipher.MaxPSKIdentityLen bytes, UTF-8) and
	// the key (1 to cipher.MaxPSKLen bytes; RFC 4279, 5.3 asks for
	// at least 128 random bits). A client with a PSK and no ServerName
	// offers only the PSK suites: it could not check a certificate.
	PSKIdentity string
	PSK         []byte
	// PSKLookup is the server's: it returns the key of an identity a client
	// sent, or an error wrapping ErrUnknownPSKIdentity if there is none
	// (any other error ends the handshake with internal_error).
	PSKLookup func(identity string) ([]byte, error)
	// PSKIdentityHint is what a server tells clients to help them choose an
	// identity (RFC 4279, 2: ServerKeyExchange.psk_identity_hint). Empty
	// means none: with plain PSK the ServerKeyExchange is then left out.
	PSKIdentityHint string
	// RevealUnknownPSKIdentity chooses the server's answer to an identity
	// PSKLookup does not know. RFC 4279, 2 allows two. By default (false)
	// the server hides it: it goes on with a random key, as if the identity
	// existed and the client's key were wrong, and the handshake fails at
	// the client's Finished with decrypt_error, exactly as it does for a
	// known identity with the wrong key; a prober cannot tell which
	// identities exist. true answers unknown_psk_identity at once, which
	// is friendlier to debug and tells anyone which identities are valid.
	RevealUnknownPSKIdentity bool
	// RequestOCSPStaple makes a client ask for the server's stapled OCSP
	// response (status_request, RFC 6066, 8) and report it in
	// ConnectionState.OCSPResponse, also to VerifyConnection. glasstls
	// neither parses nor checks the response: use golang.org/x/crypto/ocsp
	// in VerifyConnection for that.
	RequestOCSPStaple bool

	// DisableExtendedMasterSecret stops offering or accepting RFC 7627.
	// Only for tests and demonstrations of the triple handshake attack.
	DisableExtendedMasterSecret bool
	// DisableEncryptThenMAC stops offering or accepting RFC 7366 for CBC suites.
	DisableEncryptThenMAC bool

	// HandshakeTimeout bounds the whole handshake when no context deadline is
	// given. Zero means no bound of its own (the context's, if any, applies).
	HandshakeTimeout time.Duration

	// KeyLogWriter, if set, receives one line per connection in the NSS key
	// log format (CLIENT_RANDOM <client random> <master secret>), so that
	// Wireshark can decrypt a capture. It breaks the security of the
	// connections it logs: for debugging only.
	KeyLogWriter io.Writer

	// Trace, if set, is told of every record and handshake message sent or
	// received and every value the handshake derives (see Tracer and the
	// package handshake/trace). For learning and debugging.
	Trace Tracer
	// TraceSecrets lets Trace see the secrets too: the pre-master and
	// master secrets and the keys. Like KeyLogWriter, it breaks the
	// security of the connections it shows.
	TraceSecrets bool

	// SignatureSchemes lists the signature schemes to offer in
	// signature_algorithms and CertificateRequest and to sign with, most
	// preferred first (RFC 5246, 7.4.1.4.1). Nil means the defaults, which
	// prefer RSA-PSS to PKCS #1 v1.5. (PKCS #1 v1.5 signatures are
	// deterministic; the walkthrough asks for them to replay byte for byte.)
	// Schemes glasstls does not implement are ignored.
	//
	// The defaults have no SHA-1 (RFC 9155). Listing PKCS1WithSHA1 or
	// ECDSAWithSHA1 here is the one way to allow it: it is then offered
	// and accepted, and a server signs its ServerKeyExchange with it for a
	// client that sends no signature_algorithms (RFC 5246, 7.4.1.4.1), a
	// client it otherwise refuses with handshake_failure (RFC 9155, 2).
	SignatureSchemes []SignatureScheme

	// Session resumption: the abbreviated handshake of RFC 5246, 7.3
	// (Figure 2), by session ID or by session ticket (RFC 5077). See
	// resume_server.go and resume_client.go.

	// SessionTicketsDisabled stops a server issuing and accepting tickets,
	// and a client offering them (it still resumes by session ID).
	SessionTicketsDisabled bool
	// SessionIDCacheDisabled stops a server remembering sessions by ID: it
	// sends an empty session ID and resumes by ticket only.
	SessionIDCacheDisabled bool
	// SessionCache is the server's session ID cache. Nil means an in-memory
	// session.LRUServerCache of SessionCacheSize entries kept for
	// SessionIDLifetime, made on first use and shared by every connection
	// (and every Clone) of this Config.
	SessionCache session.ServerCache
	// SessionCacheSize bounds the default SessionCache; 0 means
	// session.DefaultServerCacheSize (20480, as OpenSSL).
	SessionCacheSize int
	// SessionIDLifetime is how long after its full handshake a server
	// resumes a session by ID; 0 means session.DefaultLifetime (2 hours).
	SessionIDLifetime time.Duration
	// TicketLifetime is how long after its full handshake a server accepts
	// a ticket for a session, and the lifetime hint it sends with tickets
	// (RFC 5077, 3.3); 0 means session.DefaultLifetime.
	TicketLifetime time.Duration
	// TicketKeys seal and open the server's tickets. Nil means keys made on
	// first use from Rand, rotated daily (session.DefaultTicketRotation) and
	// shared like SessionCache; see SetTicketKeys for a fleet.
	TicketKeys *session.TicketKeys
	// ClientSessionCache is where a client keeps sessions to resume, keyed
	// by ServerName (or the server's address). Nil means no resumption.
	ClientSessionCache session.ClientCache

	// resumption holds the *serverSessionDefaults made on first use for a
	// nil SessionCache or TicketKeys (an atomic.Value, not a mutex, so that
	// Clone may still copy the struct).
	resumption atomic.Value
	// shared holds the *configShared made on first use: record buffers and
	// parsed certificates shared by every connection of this Config.
	shared atomic.Value
}

// CertificateRequestInfo is what a server's CertificateRequest asked for
// (RFC 5246, 7.4.4), handed to Config.GetClientCertificate.
type CertificateRequestInfo struct {
	// AcceptableCAs are the DER-encoded distinguished names of the CAs the
	// server accepts; empty means any.
	AcceptableCAs [][]byte
	// SignatureSchemes are the schemes the server can verify.
	SignatureSchemes []SignatureScheme
	// CertificateTypes are the key types asked for (1 rsa_sign, 64 ecdsa_sign).
	CertificateTypes []uint8
}

func (c *Config) rand() io.Reader {
	if c != nil && c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *Config) now() time.Time {
	if c != nil && c.Time != nil {
		return c.Time()
	}
	return time.Now()
}

// cipherSuites returns the suites to offer or accept, known ones only, in
// preference order.
func (c *Config) cipherSuites() []*cipher.Suite {
	if c == nil || len(c.CipherSuites) == 0 {
		if c.pskConfigured() {
			return append(pskSuites(), cipher.DefaultSuites()...)
		}
		return cipher.DefaultSuites()
	}
	var suites []*cipher.Suite
	for _, id := range c.CipherSuites {
		if s, ok := cipher.SuiteByID(id); ok {
			suites = append(suites, s)
		}
	}
	return suites
}

// signatureSchemes is what we offer and accept: Config.SignatureSchemes
// without the schemes glasstls cannot make or check, as cipherSuites drops
// unknown suites. RFC 5246, 7.4.1.4.1: signature_algorithms lists the pairs
// a peer "is willing to verify"; offering one we cannot verify invites a
// signature we must then refuse.
func (c *Config) signatureSchemes() []SignatureScheme {
	if c == nil || len(c.SignatureSchemes) == 0 {
		return defaultSignatureSchemes()
	}
	schemes := make([]SignatureScheme, 0, len(c.SignatureSchemes))
	for _, s := range c.SignatureSchemes {
		if schemeInfoOf(s).algorithm != algorithmUnknown {
			schemes = append(schemes, s)
		}
	}
	return schemes
}

// pskConfigured reports whether this side has a pre-shared key: the
// client's PSK or the server's PSKLookup.
func (c *Config) pskConfigured() bool {
	return c != nil && (len(c.PSK) > 0 || c.PSKLookup != nil)
}

// pskSuites are the PSK suites in the table's order (ECDHE_PSK first).
func pskSuites() []*cipher.Suite {
	var suites []*cipher.Suite
	for _, s := range cipher.Suites() {
		if s.Auth == cipher.AuthPSK {
			suites = append(suites, s)
		}
	}
	return suites
}

// curves is CurvePreferences' elliptic curves (for ECDHE).
func (c *Config) curves() []cipher.CurveID {
	if c == nil || len(c.CurvePreferences) == 0 {
		return cipher.DefaultCurves()
	}
	if !slices.ContainsFunc(c.CurvePreferences, cipher.CurveID.IsFFDHE) {
		return c.CurvePreferences
	}
	return slices.DeleteFunc(slices.Clone(c.CurvePreferences), cipher.CurveID.IsFFDHE)
}

// ffdheGroups is CurvePreferences' finite-field groups (for DHE, RFC 7919),
// or the default ones if it names none.
func (c *Config) ffdheGroups() []cipher.CurveID {
	var groups []cipher.CurveID
	if c != nil {
		for _, g := range c.CurvePreferences {
			if _, ok := cipher.FFDHEGroup(g); ok {
				groups = append(groups, g)
			}
		}
	}
	if len(groups) == 0 {
		return cipher.DefaultFFDHEGroups()
	}
	return groups
}

// Clone returns a shallow copy of c (slices and pools are shared).
func (c *Config) Clone() *Config {
	if c == nil {
		return nil
	}
	// The clone shares c's record buffers and parsed certificates (made
	// now if c had none yet): a program that clones one Config per
	// connection still reuses buffers across connections.
	c.sharedState()
	clone := *c
	return &clone
}
