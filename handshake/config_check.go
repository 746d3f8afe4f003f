package handshake

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/glasstls/glasstls/record"
)

// Checks of a Config that would otherwise fail far from their cause: a
// certificate without its key is skipped when a suite is chosen, and the
// peer (and the log) hears only "no cipher suite in common"; an empty chain
// goes out as an empty Certificate message, which the peer cannot decode.
// Listen reports them at once, and every handshake before it reads or
// writes anything.

// checkServerConfig reports what makes c unusable for a server: no
// certificate (nor a GetCertificate or GetConfigForClient to find one), a
// certificate that cannot work (checkCertificates), or a ClientAuth that is
// none of the five modes.
func (c *Config) checkServerConfig() error {
	if len(c.Certificates) == 0 && c.GetCertificate == nil && c.GetConfigForClient == nil && c.PSKLookup == nil {
		return errors.New("glasstls: the server has no certificate (Config.Certificates is empty)")
	}
	if c.ClientAuth < NoClientCert || c.ClientAuth > RequireAndVerifyClientCert {
		return fmt.Errorf("glasstls: Config.ClientAuth is %d, which is not a ClientAuthType", int(c.ClientAuth))
	}
	return c.checkCertificates()
}

// certificatesCheck is the verdict of checkCertificates on one
// Config.Certificates slice, kept in configShared so that it runs once per
// Config rather than once per handshake (it parses every leaf). A Clone that
// is given other Certificates has another slice, so it is checked anew.
type certificatesCheck struct {
	first *Certificate // &Certificates[0]
	n     int
	err   error
}

// checkCertificates reports the first of Config.Certificates that cannot
// be used, naming it: an empty chain, a leaf that does not parse, no private
// key, a key that cannot sign, or a key that is not the leaf's.
func (c *Config) checkCertificates() error {
	if len(c.Certificates) == 0 {
		return nil
	}
	shared := c.sharedState()
	first := &c.Certificates[0]
	if done := shared.certificatesChecked.Load(); done != nil && done.first == first && done.n == len(c.Certificates) {
		return done.err
	}
	var err error
	for i := range c.Certificates {
		if err = checkCertificate(&c.Certificates[i]); err != nil {
			err = fmt.Errorf("glasstls: Config.Certificates[%d]%s: %w", i, certificateName(&c.Certificates[i]), err)
			break
		}
	}
	shared.certificatesChecked.Store(&certificatesCheck{first: first, n: len(c.Certificates), err: err})
	return err
}

// checkCertificate checks that cert can be presented: a chain to send
// (RFC 5246, 7.4.2: the server's certificate_list is never empty) and the
// leaf's own private key to prove it with.
func checkCertificate(cert *Certificate) error {
	if len(cert.Certificate) == 0 {
		return errors.New("the certificate chain is empty")
	}
	leaf := cert.Leaf
	if leaf == nil {
		var err error
		if leaf, err = parseCertificate(cert.Certificate[0]); err != nil {
			return fmt.Errorf("the leaf certificate does not parse: %w", err)
		}
	}
	if cert.PrivateKey == nil {
		return errors.New("PrivateKey is nil")
	}
	signer, ok := cert.PrivateKey.(crypto.Signer)
	if !ok {
		return fmt.Errorf("PrivateKey %T is not a crypto.Signer", cert.PrivateKey)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if pub, ok := signer.Public().(equaler); ok && !pub.Equal(leaf.PublicKey) {
		return errors.New("PrivateKey does not match the leaf certificate's public key")
	}
	return nil
}

// certificateName names a certificate in an error by its leaf's subject,
// when the leaf parses.
func certificateName(cert *Certificate) string {
	leaf := cert.Leaf
	if leaf == nil && len(cert.Certificate) > 0 {
		leaf, _ = x509.ParseCertificate(cert.Certificate[0])
	}
	if leaf == nil {
		return ""
	}
	return fmt.Sprintf(" (%s)", leaf.Subject)
}

// configError turns a configuration error found at the start of a
// handshake into the error the handshake returns: the peer is told
// internal_error (RFC 5246, 7.2.2: "an internal error unrelated to the peer
// or the correctness of the protocol ... makes it impossible to continue").
func configError(err error) error {
	return record.Errorf(record.AlertInternalError, "%w", err)
}
