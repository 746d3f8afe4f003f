package handshake

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/glasstls/glasstls/x509verify"
)

// VerificationTracer is a Tracer that also wants to see how a peer's
// certificate chain was verified. It is optional: the handshake checks
// whether Config.Trace implements it, so existing Tracers keep working.
type VerificationTracer interface {
	Tracer
	// TraceVerification is called once per chain verification, after it
	// ran, successful or not.
	TraceVerification(VerificationTrace)
}

// VerificationTrace is one verification of a peer's chain (RFC 5246,
// 7.4.2 and 7.4.6; RFC 5280, 6): what came, each check x509verify ran,
// and the verdict.
type VerificationTrace struct {
	Client bool `json:"client"` // the tracing side is the client: it verified the server's chain
	// Chain is the peer's Certificate message, leaf first.
	Chain []CertificateInfo `json:"chain"`
	// ServerName is the name the leaf had to carry; empty for a client
	// certificate, which names no host.
	ServerName string    `json:"server_name,omitempty"`
	Time       time.Time `json:"time"`  // the time validity was checked at
	Usage      string    `json:"usage"` // the extendedKeyUsage required
	// Checks are x509verify's checks in the order they ran, including
	// those on candidate issuers that led nowhere.
	Checks []VerificationCheck `json:"checks"`
	// Verified are the chains found, leaf to root.
	Verified [][]CertificateInfo `json:"verified,omitempty"`
	// Err is why verification failed; empty when it succeeded.
	Err string `json:"error,omitempty"`
}

// CertificateInfo names a certificate for a trace.
type CertificateInfo struct {
	Subject            string    `json:"subject"`
	Issuer             string    `json:"issuer"`
	NotBefore          time.Time `json:"not_before"`
	NotAfter           time.Time `json:"not_after"`
	DNSNames           []string  `json:"dns_names,omitempty"`
	IsCA               bool      `json:"is_ca"`
	PublicKey          string    `json:"public_key"` // e.g. "RSA 2048 bits"
	SignatureAlgorithm string    `json:"signature_algorithm"`
	SHA256             HexBytes  `json:"sha256"` // fingerprint of the DER
}

// VerificationCheck is one check and its result.
type VerificationCheck struct {
	Subject string `json:"subject"`          // the certificate checked
	Issuer  string `json:"issuer,omitempty"` // for a signature: the candidate whose key was tried
	Check   string `json:"check"`
	Section string `json:"section"`
	Err     string `json:"error,omitempty"` // empty: passed
}

// certificateInfo describes cert for the trace.
func certificateInfo(cert *x509.Certificate) CertificateInfo {
	sum := sha256.Sum256(cert.Raw)
	return CertificateInfo{
		Subject: cert.Subject.String(), Issuer: cert.Issuer.String(),
		NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(),
		DNSNames: cert.DNSNames, IsCA: cert.IsCA,
		PublicKey: peerKeyName(cert), SignatureAlgorithm: cert.SignatureAlgorithm.String(),
		SHA256: sum[:],
	}
}

// verificationTrace starts a VerificationTrace when Config.Trace wants
// one, and returns the Observe function that fills in its checks.
func verificationTrace(config *Config, chain []*x509.Certificate, opts x509verify.Options, usage x509.ExtKeyUsage) (*VerificationTrace, func(x509verify.Check)) {
	if _, ok := config.Trace.(VerificationTracer); !ok {
		return nil, nil
	}
	v := &VerificationTrace{Client: usage == x509.ExtKeyUsageServerAuth, ServerName: opts.DNSName, Time: opts.Now.UTC(), Usage: "serverAuth"}
	if opts.IP != nil {
		v.ServerName = opts.IP.String()
	}
	if usage == x509.ExtKeyUsageClientAuth {
		v.Usage = "clientAuth"
	}
	for _, cert := range chain {
		v.Chain = append(v.Chain, certificateInfo(cert))
	}
	return v, func(c x509verify.Check) {
		check := VerificationCheck{Subject: c.Cert.Subject.String(), Check: c.Name, Section: c.Section}
		if c.Issuer != nil {
			check.Issuer = c.Issuer.Subject.String()
		}
		if c.Err != nil {
			check.Err = c.Err.Error()
		}
		v.Checks = append(v.Checks, check)
	}
}

// finish records the verdict and hands the trace to the tracer.
func (v *VerificationTrace) finish(config *Config, chains [][]*x509.Certificate, err error) {
	if v == nil {
		return
	}
	for _, chain := range chains {
		var infos []CertificateInfo
		for _, cert := range chain {
			infos = append(infos, certificateInfo(cert))
		}
		v.Verified = append(v.Verified, infos)
	}
	if err != nil {
		v.Err = fmt.Sprint(err)
	}
	config.Trace.(VerificationTracer).TraceVerification(*v)
}
