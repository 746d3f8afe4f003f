package handshake

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// ClientHelloInfo is what a server knows of a client when it has read its
// ClientHello (RFC 5246, 7.4.1.2): handed to Config.GetConfigForClient and
// Config.GetCertificate, so they can choose by name (RFC 6066, 3), by what
// the client can verify, or by address.
type ClientHelloInfo struct {
	// ServerName is the host name the client asked for in server_name
	// (RFC 6066, 3), without a trailing dot; empty if it sent none (an IP
	// literal is never sent there).
	ServerName string
	// CipherSuites are the suites the client offered, its preference first,
	// including ones glasstls does not know (GREASE values, TLS 1.3 suites).
	CipherSuites []uint16
	// SupportedCurves are the ECDHE groups of supported_groups (RFC 8422, 5.1.1).
	SupportedCurves []cipher.CurveID
	// SupportedPoints are the point formats of ec_point_formats (RFC 8422, 5.1.2).
	SupportedPoints []uint8
	// SignatureSchemes are the schemes of signature_algorithms (RFC 5246,
	// 7.4.1.4.1): what the client can verify in ServerKeyExchange.
	SignatureSchemes []SignatureScheme
	// SupportedProtos are the ALPN protocols the client offered (RFC 7301).
	SupportedProtos []string
	// SupportedVersions are the versions of a TLS 1.3 client's
	// supported_versions (RFC 8446, 4.2.1); empty from a TLS 1.2 client.
	SupportedVersions []uint16
	// Conn is the transport the ClientHello came over: LocalAddr says which
	// of the server's addresses was dialled, RemoteAddr who dialled it.
	// Reading or writing it would break the handshake.
	Conn net.Conn

	// config is the Config in force (after GetConfigForClient), for
	// SupportsCertificate.
	config *Config
}

// LocalAddr is the server's address the client connected to, or nil.
func (chi *ClientHelloInfo) LocalAddr() net.Addr {
	if chi.Conn == nil {
		return nil
	}
	return chi.Conn.LocalAddr()
}

// RemoteAddr is the client's address, or nil.
func (chi *ClientHelloInfo) RemoteAddr() net.Addr {
	if chi.Conn == nil {
		return nil
	}
	return chi.Conn.RemoteAddr()
}

// SupportsCertificate returns nil if cert can authenticate this server to
// this client with at least one suite both sides accept (key type,
// signature schemes, curves), and otherwise an error saying why not. It
// does not look at names (Config.Certificates says how those are matched).
func (chi *ClientHelloInfo) SupportsCertificate(cert *Certificate) error {
	hello := &wire.ClientHello{
		CipherSuites:                 chi.CipherSuites,
		SupportedCurves:              chi.SupportedCurves,
		SupportedSignatureAlgorithms: chi.SignatureSchemes,
	}
	if _, ok := chi.config.suiteFor(hello, []*Certificate{cert}); ok {
		return nil
	}
	return fmt.Errorf("glasstls: the client can use certificate%s with none of the suites both sides accept", certificateName(cert))
}

func newClientHelloInfo(c *Conn, hello *wire.ClientHello) *ClientHelloInfo {
	return &ClientHelloInfo{
		ServerName:        strings.TrimSuffix(hello.ServerName, "."),
		CipherSuites:      hello.CipherSuites,
		SupportedCurves:   hello.SupportedCurves,
		SupportedPoints:   hello.SupportedPoints,
		SignatureSchemes:  hello.SupportedSignatureAlgorithms,
		SupportedProtos:   hello.ALPNProtocols,
		SupportedVersions: hello.SupportedVersions,
		Conn:              c.conn,
		config:            c.config,
	}
}

// applyConfigForClient lets Config.GetConfigForClient replace the Config
// for the rest of this handshake, once the ClientHello is known. The record
// buffers and the tracer stay the first Config's (they were set up before
// the ClientHello arrived).
func (hs *serverHandshakeState) applyConfigForClient() error {
	c := hs.c
	if c.config.GetConfigForClient == nil {
		return nil
	}
	config, err := c.config.GetConfigForClient(newClientHelloInfo(c, hs.clientHello))
	if err != nil {
		return callbackAlert("GetConfigForClient", err)
	}
	if config != nil {
		if err := config.checkServerConfig(); err != nil {
			return configError(fmt.Errorf("GetConfigForClient: %w", err))
		}
		c.config = config
	}
	return nil
}

// certificateCandidates returns the certificates that may answer this
// ClientHello, in tiers tried one after the other: GetCertificate's choice
// alone if it made one; otherwise, for a server_name (RFC 6066, 3), the
// Certificates whose leaf names it exactly, then those that match it with
// a wildcard, and last (no name, or no match) all of Certificates in their
// order. chooseParameters takes the first tier in which some certificate
// suits a suite both sides accept, so a name match always wins over a key
// type the client happens to prefer.
func (hs *serverHandshakeState) certificateCandidates() ([][]*Certificate, error) {
	c := hs.c
	if c.config.GetCertificate != nil {
		cert, err := c.config.GetCertificate(newClientHelloInfo(c, hs.clientHello))
		if err != nil {
			return nil, callbackAlert("GetCertificate", err)
		}
		if cert != nil {
			if err := checkCertificate(cert); err != nil {
				return nil, configError(fmt.Errorf("GetCertificate: the certificate%s: %w", certificateName(cert), err))
			}
			return [][]*Certificate{{cert}}, nil
		}
	}
	if len(c.config.Certificates) == 0 && c.config.PSKLookup != nil && c.config.GetCertificate == nil {
		return [][]*Certificate{nil}, nil // a PSK-only server: suiteFor picks a PSK suite or none
	}
	if len(c.config.Certificates) == 0 {
		// RFC 6066, 3: a server that does not recognize the name may abort
		// with unrecognized_name; with no certificate at all there is
		// nothing else to do.
		if c.config.GetCertificate != nil {
			return nil, record.Errorf(record.AlertUnrecognizedName, "GetCertificate has no certificate for %q and Config.Certificates is empty", hs.clientHello.ServerName)
		}
		return nil, record.Errorf(record.AlertInternalError, "server has no certificate (Config.Certificates is empty)")
	}
	all := make([]*Certificate, len(c.config.Certificates))
	for i := range c.config.Certificates {
		all[i] = &c.config.Certificates[i]
	}
	name := strings.TrimSuffix(hs.clientHello.ServerName, ".")
	if name == "" || len(all) == 1 {
		return [][]*Certificate{all}, nil
	}
	var exact, wildcard []*Certificate
	for _, cert := range all {
		switch leafNameMatch(cert, name) {
		case nameExact:
			exact = append(exact, cert)
		case nameWildcard:
			wildcard = append(wildcard, cert)
		}
	}
	return [][]*Certificate{exact, wildcard, all}, nil
}

// callbackAlert turns an error from an application callback into the
// handshake's error: the alert the callback chose, if it wrapped one
// (record.Errorf(record.AlertUnrecognizedName, ...) refuses a name, as
// RFC 6066, 3 allows), or else internal_error, as crypto/tls sends.
func callbackAlert(callback string, err error) error {
	var alertErr *record.AlertError
	if errors.As(err, &alertErr) {
		return record.Errorf(alertErr.Description, "%s: %w", callback, err)
	}
	return record.Errorf(record.AlertInternalError, "%s: %w", callback, err)
}

type nameMatch int

const (
	nameNone nameMatch = iota
	nameExact
	nameWildcard
)

// leafNameMatch says how cert's leaf names host among its DNS
// subjectAltNames: exactly, through a wildcard ("*.c.example" names
// "x.c.example", one label only, RFC 6125, 6.4.3), or not at all.
// Comparison is case-insensitive (RFC 4343).
func leafNameMatch(cert *Certificate, host string) nameMatch {
	leaf := cert.Leaf
	if leaf == nil && len(cert.Certificate) > 0 {
		var err error
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nameNone
		}
	}
	if leaf == nil {
		return nameNone
	}
	host = strings.ToLower(host)
	_, parent, hasParent := strings.Cut(host, ".")
	match := nameNone
	for _, dnsName := range leaf.DNSNames {
		dnsName = strings.ToLower(dnsName)
		if dnsName == host {
			return nameExact
		}
		if rest, ok := strings.CutPrefix(dnsName, "*."); ok && hasParent && rest == parent {
			match = nameWildcard
		}
	}
	return match
}

// suiteFor picks, in our preference order, the first suite the client
// offered for which one of certificates can authenticate us, and that
// certificate. ok is false when none can.
func (c *Config) suiteFor(hello *wire.ClientHello, certificates []*Certificate) (choice suiteChoice, ok bool) {
	// A client that lists no groups supports only those RFC 8422, 4 implies;
	// P-256 is the one every client has.
	clientCurves := hello.SupportedCurves
	if len(clientCurves) == 0 {
		clientCurves = []cipher.CurveID{cipher.CurveP256}
	}
	for _, curve := range c.curves() {
		if slices.Contains(clientCurves, curve) {
			choice.curve = curve
			break
		}
	}
	choice.dhGroup = c.ffdheGroupFor(hello)
	for _, suite := range c.cipherSuites() {
		if !slices.Contains(hello.CipherSuites, suite.ID) {
			continue
		}
		if suite.KeyExchange == cipher.KeyExchangeECDHE && choice.curve == 0 {
			continue // no group in common
		}
		if suite.Auth == cipher.AuthPSK {
			// RFC 4279: no certificate; we need a key to look up, and for
			// ECDHE_PSK a curve in common.
			if c.PSKLookup == nil || (suite.KeyExchange == cipher.KeyExchangeECDHEPSK && choice.curve == 0) {
				continue
			}
			choice.suite, choice.certificate = suite, nil
			return choice, true
		}
		if suite.KeyExchange == cipher.KeyExchangeDHE && choice.dhGroup == 0 {
			// RFC 7919, 4: with none of the client's FFDHE groups
			// acceptable, the server "MUST NOT select an FFDHE cipher suite".
			choice.dheWithoutGroup = true
			continue
		}
		for _, cert := range certificates {
			if c.certificateSuits(cert, suite, hello.SupportedSignatureAlgorithms, clientCurves) {
				choice.suite, choice.certificate = suite, cert
				return choice, true
			}
		}
	}
	return choice, false
}

// suiteChoice is what suiteFor settles: the suite, the certificate that
// authenticates it, and the ECDHE or DHE group.
type suiteChoice struct {
	suite       *cipher.Suite
	certificate *Certificate
	curve       cipher.CurveID
	dhGroup     cipher.CurveID // RFC 7919 group for DHE; 0 if none can be used

	dheWithoutGroup bool // a DHE suite in common was passed over for lack of a group
}

// ffdheGroupFor picks the DHE group (RFC 7919, 4): our first preference
// among the FFDHE groups the client lists, or none if it lists some but
// none we accept. A client that lists no FFDHE group at all predates RFC
// 7919 and takes whatever group we send: our first preference, ffdhe2048
// unless configured otherwise (large enough to be safe, the cheapest for
// both sides).
func (c *Config) ffdheGroupFor(hello *wire.ClientHello) cipher.CurveID {
	ours := c.ffdheGroups()
	clientOffersFFDHE := slices.ContainsFunc(hello.SupportedCurves, cipher.CurveID.IsFFDHE)
	if !clientOffersFFDHE {
		return ours[0]
	}
	for _, group := range ours {
		if slices.Contains(hello.SupportedCurves, group) {
			return group
		}
	}
	return 0
}

// certificateSuits reports whether cert can authenticate suite to a client
// that verifies clientSchemes and knows clientCurves.
func (c *Config) certificateSuits(cert *Certificate, suite *cipher.Suite, clientSchemes []SignatureScheme, clientCurves []cipher.CurveID) bool {
	signer, ok := cert.PrivateKey.(crypto.Signer)
	if !ok || !keySuitsAuth(signer.Public(), suite) {
		return false
	}
	// RFC 8422, 5.1: supported_groups also limits the curve of an ECDSA
	// certificate; OpenSSL refuses one on a curve it did not list.
	if ecdsaKey, ok := signer.Public().(*ecdsa.PublicKey); ok {
		if curve, ok := curveOfECDSAKey(ecdsaKey); !ok || !slices.Contains(clientCurves, curve) {
			return false
		}
	}
	if suite.KeyExchange == cipher.KeyExchangeRSA {
		_, ok := cert.PrivateKey.(crypto.Decrypter)
		return ok
	}
	// ECDHE: we must be able to sign in a way the client can check.
	_, err := selectSignatureScheme(signer.Public(), cert.signingSchemes(c.signatureSchemes()), clientSchemes)
	return err == nil
}
