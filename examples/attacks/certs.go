package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cryptobyte_asn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// In the certificate demos the attacker answers in the server's place: it
// holds a private key and a certificate for it, and the client's path
// validation (x509verify, called from clientHandshakeState.
// readServerCertificate) must find out that the certificate does not
// vouch for "localhost". Every alert is sent in the clear: the client
// refuses before any key is agreed.

// demoForged: a certificate from a CA the attacker made itself, under the
// trusted root's own name. The client looks the issuer up by name and
// finds the real root; but the certificate's authorityKeyIdentifier names
// another key (RFC 5280, 4.2.1.1), and the real root's key does not verify
// the signature, so the real root is not the issuer: the one that signed
// is unknown. (Compare demoTamperedCert, where the key identifiers match
// and the failed signature means the bytes were changed.)
func demoForged(p *pki, w io.Writer) ([]*round, error) {
	server, err := p.serverConfig("forged")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "The attacker made its own root CA named %q, like the real one,\n"+
		"and issued itself testdata/forged.pem for localhost. It cannot copy the real root's key.\n", certgen.RootCAName)
	r := &round{
		name: "testdata/forged.pem: signed by a self-made CA with the real root's name",
		check: "path validation: the real root has that name, but not the key the certificate names " +
			"(x509verify.UnknownAuthorityError)",
		detector:   "client",
		alert:      record.AlertUnknownCA,
		cause:      new(*x509verify.UnknownAuthorityError),
		plainAlert: true,
	}
	return []*round{r}, r.play(w, &scenario{client: p.clientConfig(), server: server})
}

// demoTamperedCert: the attacker relays the real server's handshake but
// changes one byte of the certificate's signed part (tbsCertificate): a
// byte of the server's public key, as if to put its own key there. The
// CA's signature covers every byte of tbsCertificate (RFC 5280, 4.1.1.3).
// The authorityKeyIdentifier still names the real root's key, so a failed
// signature means tampering (x509verify.BadSignatureError).
func demoTamperedCert(p *pki, w io.Writer) ([]*round, error) {
	server, err := p.serverConfig("server-rsa")
	if err != nil {
		return nil, err
	}
	attacker := &mitm{editHandshake: func(dir direction, msg []byte) []byte {
		if dir != serverToClient || msg[0] != handshakeCertificate {
			return msg
		}
		if err := tamperLeafKey(msg, w); err != nil {
			fmt.Fprintf(w, "  attacker: cannot find the key in the certificate (%v); passing it on\n", err)
		}
		return msg
	}}
	r := &round{
		name:       "flip one byte of the server's public key inside the signed part of its certificate",
		check:      "path validation: the CA's signature over tbsCertificate (x509verify.BadSignatureError)",
		detector:   "client",
		alert:      record.AlertBadCertificate,
		cause:      new(*x509verify.BadSignatureError),
		plainAlert: true,
	}
	return []*round{r}, r.play(w, &scenario{client: p.clientConfig(), server: server, attacker: attacker})
}

// tamperLeafKey flips a byte in the middle of the subjectPublicKeyInfo of
// the first certificate of a Certificate message, in place. The walk
// follows RFC 5280, 4.1: Certificate ::= SEQUENCE { tbsCertificate
// SEQUENCE { [0] version, serialNumber, signature, issuer, validity,
// subject, subjectPublicKeyInfo, ... }, ... }.
func tamperLeafKey(msg []byte, w io.Writer) error {
	if len(msg) < handshakeHeaderLen {
		return errors.New("short message")
	}
	s := cryptobyte.String(msg[handshakeHeaderLen:])
	var list, der, cert, tbs, spki cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !list.ReadUint24LengthPrefixed(&der) ||
		!der.ReadASN1(&cert, cryptobyte_asn1.SEQUENCE) || !cert.ReadASN1(&tbs, cryptobyte_asn1.SEQUENCE) ||
		!tbs.SkipOptionalASN1(cryptobyte_asn1.Tag(0).Constructed().ContextSpecific()) ||
		!tbs.SkipASN1(cryptobyte_asn1.INTEGER) || // serialNumber
		!tbs.SkipASN1(cryptobyte_asn1.SEQUENCE) || // signature
		!tbs.SkipASN1(cryptobyte_asn1.SEQUENCE) || // issuer
		!tbs.SkipASN1(cryptobyte_asn1.SEQUENCE) || // validity
		!tbs.SkipASN1(cryptobyte_asn1.SEQUENCE) || // subject
		!tbs.ReadASN1(&spki, cryptobyte_asn1.SEQUENCE) {
		return errors.New("unexpected certificate structure")
	}
	// The cryptobyte strings share msg's memory, so this edits msg. The
	// middle of an RSA key's SPKI is inside the modulus: it still parses.
	if len(spki) == 0 {
		return errors.New("empty subjectPublicKeyInfo")
	}
	i := len(spki) / 2
	before := spki[i]
	spki[i] ^= 0x01
	fmt.Fprintf(w, "  attacker: changed byte %d of the %d-byte subjectPublicKeyInfo from %#02x to %#02x\n", i, len(spki), before, spki[i])
	return nil
}

// demoExpired: a certificate for the right name, from the right CA, but
// past its notAfter date, e.g. one whose old key the attacker stole.
func demoExpired(p *pki, w io.Writer) ([]*round, error) {
	server, err := p.serverConfig("expired")
	if err != nil {
		return nil, err
	}
	r := &round{
		name:       "testdata/expired.pem: right name, right CA, valid 2020-01-01 to 2021-01-01",
		check:      "path validation: the validity period (x509verify.ExpiredError)",
		detector:   "client",
		alert:      record.AlertCertificateExpired,
		cause:      new(*x509verify.ExpiredError),
		plainAlert: true,
	}
	if err := r.play(w, &scenario{client: p.clientConfig(), server: server}); err != nil {
		return nil, err
	}
	var expired *x509verify.ExpiredError
	if errors.As(r.verdict.caught, &expired) {
		fmt.Fprintf(w, "    dates:        notBefore %s, notAfter %s, checked at %s\n",
			expired.NotBefore.UTC().Format(time.RFC3339), expired.NotAfter.UTC().Format(time.RFC3339), expired.Now.UTC().Format(time.RFC3339))
	}
	return []*round{r}, nil
}

// demoWrongHost: a genuine certificate from the trusted CA, but for the
// attacker's own domain, presented for "localhost".
func demoWrongHost(p *pki, w io.Writer) ([]*round, error) {
	server, err := p.serverConfig("wrong-host")
	if err != nil {
		return nil, err
	}
	r := &round{
		name:       "testdata/wrong-host.pem: a valid certificate from the trusted CA, for other.example",
		check:      "path validation: the host name against subjectAltName (x509verify.HostnameError)",
		detector:   "client",
		alert:      record.AlertBadCertificate,
		cause:      new(*x509verify.HostnameError),
		plainAlert: true,
	}
	if err := r.play(w, &scenario{client: p.clientConfig(), server: server}); err != nil {
		return nil, err
	}
	var hostErr *x509verify.HostnameError
	if errors.As(r.verdict.caught, &hostErr) {
		fmt.Fprintf(w, "    names:        wanted %q, the certificate names %q\n", hostErr.Host, hostErr.Names)
	}
	return []*round{r}, nil
}
