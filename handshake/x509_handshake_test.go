package handshake

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// What a user sees when the server's certificate fails verification: one
// row per x509verify failure, each chain minted on the fly, served by our
// server (and for some rows by openssl s_server too: the verdict must not
// depend on who serves the bytes), connected to by our client.

// x509Now is the clock of every connection in this file (Config.Time).
// Certificates are minted around it, so nothing here expires with the
// calendar, and the messages can be checked for exact dates.
var x509Now = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

const x509Host = "server.glasstls.test"

// mintedCert is a certificate and the key it certifies.
type mintedCert struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// mintCA is a CA template valid for a year either side of x509Now.
func mintCA(cn string, mods ...func(*x509.Certificate)) *x509.Certificate {
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"glasstls test PKI"}},
		NotBefore:             x509Now.AddDate(-1, 0, 0),
		NotAfter:              x509Now.AddDate(1, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	for _, m := range mods {
		m(tmpl)
	}
	return tmpl
}

// mintLeaf is a TLS server template for x509Host, valid for a month either
// side of x509Now, with an ECDSA-friendly keyUsage (RFC 8422, 5.10).
func mintLeaf(cn string, mods ...func(*x509.Certificate)) *x509.Certificate {
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"glasstls test PKI"}},
		DNSNames:              []string{x509Host},
		NotBefore:             x509Now.AddDate(0, -1, 0),
		NotAfter:              x509Now.AddDate(0, 1, 0),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, m := range mods {
		m(tmpl)
	}
	return tmpl
}

// mint signs tmpl for a fresh ECDSA P-256 key with parent's key, or
// self-signs it when parent is nil.
func mint(t *testing.T, tmpl *x509.Certificate, parent *mintedCert) *mintedCert {
	t.Helper()
	key, err := certgen.GenerateKey(certgen.ECDSAP256)
	require.NoError(t, err)
	tmpl.SerialNumber, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	require.NoError(t, err)
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &mintedCert{cert: cert, key: key}
}

// served is what the server sends: leaf first, then intermediates
// (RFC 5246, 7.4.2), and the leaf's key.
type served struct {
	chain []*x509.Certificate
	key   crypto.Signer
}

func serve(leaf *mintedCert, intermediates ...*mintedCert) served {
	s := served{chain: []*x509.Certificate{leaf.cert}, key: leaf.key}
	for _, inter := range intermediates {
		s.chain = append(s.chain, inter.cert)
	}
	return s
}

func (s served) certificate() Certificate {
	c := Certificate{PrivateKey: s.key, Leaf: s.chain[0]}
	for _, cert := range s.chain {
		c.Certificate = append(c.Certificate, cert.Raw)
	}
	return c
}

// opensslArgs writes the chain for openssl s_server: -cert (the leaf),
// -cert_chain (the intermediates, if any) and -key.
func (s served) opensslArgs(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		return path
	}
	keyPEM, err := certgen.EncodeKeyPEM(s.key)
	require.NoError(t, err)
	args := []string{"-cert", write("leaf.pem", certgen.EncodeCertPEM(s.chain[0])), "-key", write("key.pem", keyPEM)}
	if len(s.chain) > 1 {
		var chainPEM []byte
		for _, cert := range s.chain[1:] {
			chainPEM = append(chainPEM, certgen.EncodeCertPEM(cert)...)
		}
		args = append(args, "-cert_chain", write("chain.pem", chainPEM))
	}
	return args
}

// asVerifyError finds the x509verify error of type E behind a handshake
// error, as a caller would with errors.As.
func asVerifyError[E error](t *testing.T, err error) E {
	t.Helper()
	var target E
	require.ErrorAs(t, err, &target, "the handshake error must carry the x509verify error: %v", err)
	return target
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// criticalPolicyExt is an extension nobody understands, marked critical:
// RFC 5280, 4.2 says to reject the certificate.
var criticalPolicyExt = pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 42}, Critical: true, Value: []byte{0x05, 0x00}}

type verifyFailureCase struct {
	name string
	// build mints what the server presents under the trusted root; the
	// client asks for x509Host unless serverName is set.
	build      func(t *testing.T, root *mintedCert) served
	serverName string
	alert      record.AlertDescription
	// check finds the x509verify error behind the client's error and
	// checks what the message teaches.
	check func(t *testing.T, err error, s served)
	// openssl also serves the chain with openssl s_server.
	openssl bool
}

func verifyFailureCases() []verifyFailureCase {
	return []verifyFailureCase{
		{
			name: "unknown authority",
			build: func(t *testing.T, _ *mintedCert) served {
				stranger := mint(t, mintCA("Stranger Root"), nil)
				return serve(mint(t, mintLeaf("Stranger Leaf"), stranger))
			},
			alert: record.AlertUnknownCA,
			check: func(t *testing.T, err error, s served) {
				e := asVerifyError[*x509verify.UnknownAuthorityError](t, err)
				assert.Equal(t, s.chain[0].Issuer.String(), e.Issuer)
				assert.Contains(t, err.Error(), `no trusted certificate for issuer "CN=Stranger Root,O=glasstls test PKI"`)
			},
			openssl: true,
		},
		{
			name: "bad signature (tampered after signing)",
			build: func(t *testing.T, root *mintedCert) served {
				leaf := mint(t, mintLeaf("Tampered Leaf"), root)
				// Change one letter of the subject: the certificate still
				// parses, but its TBSCertificate is not what the CA signed.
				der := bytes.Clone(leaf.cert.Raw)
				i := bytes.Index(der, []byte("Tampered"))
				require.Positive(t, i)
				der[i] = 't'
				cert, err := x509.ParseCertificate(der)
				require.NoError(t, err)
				return served{chain: []*x509.Certificate{cert}, key: leaf.key}
			},
			alert: record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.BadSignatureError](t, err)
				assert.Equal(t, "tampered Leaf", e.Cert.Subject.CommonName)
				assert.Contains(t, err.Error(), "does not verify with the public key of issuer \"CN=glasstls x509 test root")
				assert.Contains(t, err.Error(), "tampered with")
			},
			openssl: true,
		},
		{
			name: "expired",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("Expired Leaf", func(c *x509.Certificate) {
					c.NotBefore, c.NotAfter = x509Now.AddDate(-1, 0, 0), x509Now.AddDate(0, 0, -3)
				}), root))
			},
			alert: record.AlertCertificateExpired,
			check: func(t *testing.T, err error, s served) {
				e := asVerifyError[*x509verify.ExpiredError](t, err)
				assert.False(t, e.NotYetValid)
				assert.True(t, x509Now.Equal(e.Now), "Config.Time is the time checked at")
				assert.Contains(t, err.Error(), "has expired: current time 2030-06-01T12:00:00Z is after notAfter 2030-05-29T12:00:00Z")
				assert.Contains(t, err.Error(), utc(s.chain[0].NotAfter))
			},
			openssl: true,
		},
		{
			// RFC 5246, 7.2.2: certificate_expired is "expired or is not
			// currently valid", so a certificate from the future gets it too.
			name: "not yet valid",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("Future Leaf", func(c *x509.Certificate) {
					c.NotBefore, c.NotAfter = x509Now.AddDate(0, 0, 2), x509Now.AddDate(1, 0, 0)
				}), root))
			},
			alert: record.AlertCertificateExpired,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.ExpiredError](t, err)
				assert.True(t, e.NotYetValid)
				assert.Contains(t, err.Error(), "is not yet valid: current time 2030-06-01T12:00:00Z is before notBefore 2030-06-03T12:00:00Z")
			},
		},
		{
			name: "host name mismatch",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("Elsewhere", func(c *x509.Certificate) {
					c.DNSNames = []string{"elsewhere.glasstls.test", "*.elsewhere.glasstls.test"}
				}), root))
			},
			alert: record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.HostnameError](t, err)
				assert.Equal(t, x509Host, e.Host)
				assert.Contains(t, err.Error(), `is not valid for "server.glasstls.test"; it is valid for DNS:elsewhere.glasstls.test, DNS:*.elsewhere.glasstls.test`)
			},
			openssl: true,
		},
		{
			name: "IP address mismatch",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("Other IP", func(c *x509.Certificate) {
					c.DNSNames = nil
					c.IPAddresses = []net.IP{net.ParseIP("127.0.0.2"), net.ParseIP("::2")}
				}), root))
			},
			serverName: "127.0.0.1",
			alert:      record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.HostnameError](t, err)
				assert.Equal(t, "127.0.0.1", e.Host)
				assert.Contains(t, err.Error(), `is not valid for "127.0.0.1"; it is valid for IP:127.0.0.2, IP:::2`)
			},
		},
		{
			name: "intermediate is not a CA",
			build: func(t *testing.T, root *mintedCert) served {
				notCA := mint(t, mintCA("Not A CA", func(c *x509.Certificate) { c.IsCA = false; c.KeyUsage = x509.KeyUsageDigitalSignature }), root)
				return serve(mint(t, mintLeaf("Below Not A CA"), notCA), notCA)
			},
			alert: record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.NotCAError](t, err)
				assert.Equal(t, "Not A CA", e.Cert.Subject.CommonName)
				assert.Contains(t, err.Error(), `"CN=Not A CA,O=glasstls test PKI" is used as an issuer but is not a CA`)
			},
			openssl: true,
		},
		{
			name: "path length exceeded",
			build: func(t *testing.T, root *mintedCert) served {
				strict := mint(t, mintCA("Strict CA", func(c *x509.Certificate) { c.MaxPathLenZero = true }), root)
				below := mint(t, mintCA("Sub CA"), strict)
				return serve(mint(t, mintLeaf("Too Deep"), below), below, strict)
			},
			alert: record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.PathLenError](t, err)
				assert.Equal(t, "Strict CA", e.Cert.Subject.CommonName)
				assert.Contains(t, err.Error(), "allows at most 0 intermediate CA certificate(s) below it (pathLenConstraint), but the chain has 1")
			},
		},
		{
			name: "issuer keyUsage without keyCertSign",
			build: func(t *testing.T, root *mintedCert) served {
				signOnly := mint(t, mintCA("Sign Only CA", func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature }), root)
				return serve(mint(t, mintLeaf("Below Sign Only"), signOnly), signOnly)
			},
			alert: record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.KeyUsageError](t, err)
				assert.Equal(t, "Sign Only CA", e.Cert.Subject.CommonName)
				assert.Contains(t, err.Error(), "without keyCertSign, so it may not sign certificates")
			},
		},
		{
			// RFC 5246, 7.2.2: a certificate for another purpose is of a
			// type this connection cannot use: unsupported_certificate.
			name: "EKU clientAuth only",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("Client Only", func(c *x509.Certificate) {
					c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
				}), root))
			},
			alert: record.AlertUnsupportedCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.ExtKeyUsageError](t, err)
				assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, e.Has)
				assert.Contains(t, err.Error(), "is limited to extended key usages [clientAuth], which does not include the wanted [serverAuth]")
			},
			openssl: true,
		},
		{
			name: "name constraint violated",
			build: func(t *testing.T, root *mintedCert) served {
				constrained := mint(t, mintCA("Constrained CA", func(c *x509.Certificate) {
					c.PermittedDNSDomains = []string{"permitted.glasstls.test"}
				}), root)
				return serve(mint(t, mintLeaf("Outside"), constrained), constrained)
			},
			alert: record.AlertBadCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.NameConstraintError](t, err)
				assert.Equal(t, x509Host, e.Name)
				assert.Contains(t, err.Error(), `DNS name "server.glasstls.test" in certificate "CN=Outside,O=glasstls test PKI" is not inside any permitted subtree of CA "CN=Constrained CA`)
			},
		},
		{
			name: "unhandled critical extension",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("Odd Leaf", func(c *x509.Certificate) {
					c.ExtraExtensions = []pkix.Extension{criticalPolicyExt}
				}), root))
			},
			alert: record.AlertUnsupportedCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.UnhandledCriticalExtensionError](t, err)
				assert.Equal(t, []asn1.ObjectIdentifier{criticalPolicyExt.Id}, e.OIDs)
				assert.Contains(t, err.Error(), "has critical extension(s) 1.3.6.1.4.1.99999.42 that are not understood")
			},
		},
		{
			// crypto/x509.CreateCertificate still signs with ECDSA-SHA1 when
			// asked (Go 1.26); only verification refuses it there too.
			name: "insecure algorithm (SHA-1)",
			build: func(t *testing.T, root *mintedCert) served {
				return serve(mint(t, mintLeaf("SHA-1 Leaf", func(c *x509.Certificate) {
					c.SignatureAlgorithm = x509.ECDSAWithSHA1
				}), root))
			},
			alert: record.AlertUnsupportedCertificate,
			check: func(t *testing.T, err error, _ served) {
				e := asVerifyError[*x509verify.InsecureAlgorithmError](t, err)
				assert.Equal(t, x509.ECDSAWithSHA1, e.Algorithm)
				assert.Contains(t, err.Error(), "is signed with ECDSA-SHA1, whose hash is broken")
			},
		},
	}
}

// x509ClientConfig trusts root only and checks at x509Now.
func x509ClientConfig(root *mintedCert, serverName string) *Config {
	roots := x509verify.NewPool()
	roots.AddCert(root.cert)
	if serverName == "" {
		serverName = x509Host
	}
	return &Config{RootCAs: roots, ServerName: serverName, Time: func() time.Time { return x509Now }}
}

func TestServerCertificateFailures(t *testing.T) {
	root := mint(t, mintCA("glasstls x509 test root"), nil)
	for _, tt := range verifyFailureCases() {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.build(t, root)
			serverConfig := &Config{Certificates: []Certificate{s.certificate()}, Time: func() time.Time { return x509Now }}
			client, _, clientErr, serverErr := handshakePair(t, x509ClientConfig(root, tt.serverName), serverConfig)

			requireAlert(t, clientErr, tt.alert, false)
			tt.check(t, clientErr, s)
			// The user reads the alert's name first, then the lesson.
			assert.Contains(t, clientErr.Error(), "glasstls: local error: "+tt.alert.String()+": x509verify: ")
			// The server hears the same alert on the wire.
			requireAlert(t, serverErr, tt.alert, true)
			assert.Empty(t, client.ConnectionState().VerifiedChains)

			if !tt.openssl {
				return
			}
			t.Run("openssl s_server", func(t *testing.T) {
				p, port := interop.StartOpenSSLServer(t, append([]string{"-tls1_2"}, s.opensslArgs(t)...)...)
				config := x509ClientConfig(root, tt.serverName)
				config.HandshakeTimeout = opensslTimeout
				_, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
				requireAlert(t, err, tt.alert, false)
				tt.check(t, err, s)
				// OpenSSL reports the alert it received by number.
				assert.NoError(t, p.WaitFor(fmt.Sprintf("SSL alert number %d", tt.alert), opensslTimeout), p.Output())
			})
		})
	}
}

// VerifyConnection runs after the chain is verified, sees the verified
// chains, and can still say no.
func TestVerifyConnectionAfterVerification(t *testing.T) {
	root := mint(t, mintCA("glasstls x509 test root"), nil)
	inter := mint(t, mintCA("glasstls x509 test intermediate"), root)
	good := serve(mint(t, mintLeaf("Good Leaf"), inter), inter)
	expired := serve(mint(t, mintLeaf("Expired Leaf", func(c *x509.Certificate) { c.NotAfter = x509Now.Add(-time.Hour) }), inter), inter)
	errPolicy := errors.New("policy: this client does not talk to Good Leaf")

	tests := []struct {
		name      string
		served    served
		hook      error
		wantCalls int
		wantAlert record.AlertDescription // 0: the handshake succeeds
	}{
		{"verified chain, hook accepts", good, nil, 1, 0},
		{"verified chain, hook refuses", good, errPolicy, 1, record.AlertBadCertificate},
		// Verification fails first: the hook never sees an unverified chain.
		{"expired chain", expired, nil, 0, record.AlertCertificateExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls int
			var seen ConnectionState
			config := x509ClientConfig(root, "")
			config.VerifyConnection = func(cs ConnectionState) error {
				calls++
				seen = cs
				return tt.hook
			}
			serverConfig := &Config{Certificates: []Certificate{tt.served.certificate()}}
			_, _, clientErr, serverErr := handshakePair(t, config, serverConfig)
			assert.Equal(t, tt.wantCalls, calls)
			if tt.wantCalls > 0 {
				require.Len(t, seen.VerifiedChains, 1)
				chain := seen.VerifiedChains[0]
				require.Len(t, chain, 3, "leaf, intermediate, root")
				assert.True(t, chain[0].Equal(tt.served.chain[0]))
				assert.True(t, chain[1].Equal(inter.cert))
				assert.True(t, chain[2].Equal(root.cert))
				require.Len(t, seen.PeerCertificates, 2, "as sent: leaf and intermediate")
				assert.Equal(t, x509Host, seen.ServerName)
			}
			if tt.wantAlert == 0 {
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				return
			}
			requireAlert(t, clientErr, tt.wantAlert, false)
			requireAlert(t, serverErr, tt.wantAlert, true)
			if tt.hook != nil {
				assert.ErrorIs(t, clientErr, tt.hook, "the hook's error is kept for errors.Is")
				assert.Contains(t, clientErr.Error(), "VerifyConnection: "+tt.hook.Error())
			}
		})
	}
}

// With RootCAs nil the client trusts the machine's store (SSL_CERT_FILE
// here, so the test does not depend on the machine): a server under our
// test root is then refused with unknown_ca, and accepted once the store
// holds that root. x509verify.SystemPool reads the store once per process
// (issue 12, item 7), so each store gets a process of its own: this test
// binary, run again for this test alone with the case in the environment.
func TestNilRootCAsUsesSystemPool(t *testing.T) {
	const caseEnv = "GLASSTLS_TEST_SYSTEM_STORE_CASE"
	cases := map[string]bool{"store without our root": false, "store with our root": true}
	if name := os.Getenv(caseEnv); name != "" {
		withRoot, ok := cases[name]
		require.True(t, ok, "unknown case %q", name)
		nilRootCAsCase(t, withRoot)
		return
	}
	for name := range cases {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestNilRootCAsUsesSystemPool$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), caseEnv+"="+name)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			require.Contains(t, string(out), "--- PASS: TestNilRootCAsUsesSystemPool", "%s", out)
		})
	}
}

func nilRootCAsCase(t *testing.T, withRoot bool) {
	root := mint(t, mintCA("glasstls x509 test root"), nil)
	store := mint(t, mintCA("Some Public Root"), nil)
	if withRoot {
		store = root
	}
	s := serve(mint(t, mintLeaf("Good Leaf"), root))
	serverConfig := &Config{Certificates: []Certificate{s.certificate()}}

	bundle := filepath.Join(t.TempDir(), "ca-certificates.crt")
	require.NoError(t, os.WriteFile(bundle, certgen.EncodeCertPEM(store.cert), 0o600))
	t.Setenv("SSL_CERT_FILE", bundle)
	config := &Config{ServerName: x509Host, Time: func() time.Time { return x509Now }}
	_, _, clientErr, serverErr := handshakePair(t, config, serverConfig)
	if withRoot {
		require.NoError(t, clientErr)
		require.NoError(t, serverErr)
		return
	}
	requireAlert(t, clientErr, record.AlertUnknownCA, false)
	requireAlert(t, serverErr, record.AlertUnknownCA, true)
	e := asVerifyError[*x509verify.UnknownAuthorityError](t, clientErr)
	assert.Equal(t, root.cert.Subject.String(), e.Issuer)
}
