package cipher

import (
	"crypto"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash
	_ "crypto/sha512" // registers SHA-384 for the *_SHA384 suites
	"fmt"
	"strings"
)

// KeyExchange is how a suite agrees on the pre_master_secret (RFC 5246, 7.4.7).
type KeyExchange int

// The key exchanges glasstls implements.
const (
	// KeyExchangeRSA: the client encrypts a random pre_master_secret to the
	// server's certificate key (RFC 5246, 7.4.7.1). No forward secrecy.
	KeyExchangeRSA KeyExchange = iota + 1
	// KeyExchangeECDHE: ephemeral elliptic-curve Diffie-Hellman, signed by
	// the server (RFC 8422, 2). Forward secret.
	KeyExchangeECDHE
	// KeyExchangeDHE: ephemeral finite-field Diffie-Hellman, signed by the
	// server (RFC 5246, 7.4.3), in the groups of RFC 7919. Forward secret.
	KeyExchangeDHE
	// KeyExchangePSK: the pre-master secret comes from a key both sides
	// already share (RFC 4279, 2). Not forward secret.
	KeyExchangePSK
	// KeyExchangeECDHEPSK: an ECDHE shared secret and the pre-shared key
	// together (RFC 5489, 2). Forward secret.
	KeyExchangeECDHEPSK
)

// String returns "RSA", "ECDHE", "DHE", "PSK" or "ECDHE_PSK".
func (k KeyExchange) String() string {
	switch k {
	case KeyExchangeRSA:
		return "RSA"
	case KeyExchangeECDHE:
		return "ECDHE"
	case KeyExchangeDHE:
		return "DHE"
	case KeyExchangePSK:
		return "PSK"
	case KeyExchangeECDHEPSK:
		return "ECDHE_PSK"
	}
	return fmt.Sprintf("KeyExchange(%d)", int(k))
}

// Auth is the kind of certificate key that authenticates the server.
type Auth int

// The authentication algorithms glasstls implements.
const (
	AuthRSA   Auth = iota + 1 // RSA certificate (signs ECDHE or DHE parameters, or decrypts the RSA key exchange)
	AuthECDSA                 // ECDSA certificate (RFC 8422, 2)
	AuthPSK                   // no certificate: the pre-shared key authenticates both sides (RFC 4279)
)

// String returns "RSA", "ECDSA" or "PSK".
func (a Auth) String() string {
	switch a {
	case AuthRSA:
		return "RSA"
	case AuthECDSA:
		return "ECDSA"
	case AuthPSK:
		return "PSK"
	}
	return fmt.Sprintf("Auth(%d)", int(a))
}

// Bulk is the bulk encryption algorithm that protects records.
type Bulk int

// The bulk ciphers glasstls implements.
const (
	BulkAES128GCM        Bulk = iota + 1 // RFC 5288
	BulkAES256GCM                        // RFC 5288
	BulkChaCha20Poly1305                 // RFC 7905
	BulkAES128CBC                        // RFC 5246, 6.2.3.2
	BulkAES256CBC                        // RFC 5246, 6.2.3.2
)

// String returns the algorithm name, e.g. "AES-128-GCM".
func (b Bulk) String() string {
	switch b {
	case BulkAES128GCM:
		return "AES-128-GCM"
	case BulkAES256GCM:
		return "AES-256-GCM"
	case BulkChaCha20Poly1305:
		return "ChaCha20-Poly1305"
	case BulkAES128CBC:
		return "AES-128-CBC"
	case BulkAES256CBC:
		return "AES-256-CBC"
	}
	return fmt.Sprintf("Bulk(%d)", int(b))
}

// MAC is the record MAC algorithm. AEAD suites have none: the AEAD tag
// does the MAC's job (RFC 5246, 6.2.3.3).
type MAC int

// The record MACs glasstls implements.
const (
	MACAEAD   MAC = iota + 1 // no separate MAC
	MACSHA1                  // HMAC-SHA1 (RFC 5246, 6.2.3.1; only used as HMAC, where SHA-1 collisions do not matter)
	MACSHA256                // HMAC-SHA256
	MACSHA384                // HMAC-SHA384 (RFC 5289, 3.2)
)

// String returns "AEAD", "HMAC-SHA1", "HMAC-SHA256" or "HMAC-SHA384".
func (m MAC) String() string {
	switch m {
	case MACAEAD:
		return "AEAD"
	case MACSHA1:
		return "HMAC-SHA1"
	case MACSHA256:
		return "HMAC-SHA256"
	case MACSHA384:
		return "HMAC-SHA384"
	}
	return fmt.Sprintf("MAC(%d)", int(m))
}

// Suite is one row of the cipher suite table: pure data that the record
// layer and the handshake read. The *Suite values returned by this package
// point into the table and must not be modified.
type Suite struct {
	ID          uint16      // IANA value, e.g. 0xC02F
	Name        string      // IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
	OpenSSLName string      // OpenSSL's name, e.g. "ECDHE-RSA-AES128-GCM-SHA256"
	KeyExchange KeyExchange // how the pre_master_secret is agreed
	Auth        Auth        // which certificate key authenticates the server
	Bulk        Bulk        // the record cipher
	MAC         MAC         // the record MAC (MACAEAD for AEAD suites)
	PRFHash     crypto.Hash // RFC 5246, 5: SHA-256 unless the suite says otherwise (SHA-384 for *_SHA384)
	KeyLen      int         // enc_key_length in the key block
	FixedIVLen  int         // fixed_iv_length in the key block (RFC 5246, 6.3): 4 for GCM, 12 for ChaCha20, 0 for CBC
	MACLen      int         // mac_key_length == mac_length; 0 for AEAD
	Default     bool        // offered by a client and accepted by a server unless configured otherwise
}

// IsAEAD reports whether the suite protects records with an AEAD
// (RFC 5246, 6.2.3.3) rather than MAC-then-encrypt CBC.
func (s *Suite) IsAEAD() bool { return s.MAC == MACAEAD }

// String returns the IANA name.
func (s *Suite) String() string { return s.Name }

// Suites returns every suite glasstls implements, in default preference
// order (most preferred first). The slice is fresh; the suites are shared.
func Suites() []*Suite {
	out := make([]*Suite, len(suiteTable))
	copy(out, suiteTable)
	return out
}

// DefaultSuites returns the suites with Default set, in preference order.
func DefaultSuites() []*Suite {
	var out []*Suite
	for _, s := range suiteTable {
		if s.Default {
			out = append(out, s)
		}
	}
	return out
}

// SuiteByID looks a suite up by its IANA value.
func SuiteByID(id uint16) (*Suite, bool) {
	for _, s := range suiteTable {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}

// SuiteByName looks a suite up by its IANA name
// ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") or its OpenSSL name
// ("ECDHE-RSA-AES128-GCM-SHA256"). An exact match wins; otherwise the
// comparison ignores case.
func SuiteByName(name string) (*Suite, bool) {
	for _, s := range suiteTable {
		if s.Name == name || s.OpenSSLName == name {
			return s, true
		}
	}
	for _, s := range suiteTable {
		if strings.EqualFold(s.Name, name) || strings.EqualFold(s.OpenSSLName, name) {
			return s, true
		}
	}
	return nil, false
}
