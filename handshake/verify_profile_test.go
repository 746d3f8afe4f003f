package handshake

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVerifyProfileBothRoles: Config.VerifyProfile reaches x509verify on
// both sides. A leaf without extKeyUsage is fine by RFC 5280 and
// crypto/x509, and refused by the Web PKI (CA/B Forum BR 7.1.2.7.10), so
// it passes under ProfileCompat and ProfileRFC5280 and fails under
// ProfileWebPKI, as a server's certificate and as a client's.
func TestVerifyProfileBothRoles(t *testing.T) {
	root := mint(t, mintCA("glasstls profile root"), nil)
	noEKU := func(c *x509.Certificate) { c.ExtKeyUsage = nil }
	server := serve(mint(t, mintLeaf("Server Without EKU", noEKU), root))
	client := serve(mint(t, mintLeaf("Client Without EKU", noEKU), root))
	goodServer := serve(mint(t, mintLeaf("Good Server"), root))
	pool := x509verify.NewPool()
	pool.AddCert(root.cert)

	for _, profile := range []x509verify.Profile{x509verify.ProfileCompat, x509verify.ProfileRFC5280, x509verify.ProfileWebPKI} {
		strict := profile == x509verify.ProfileWebPKI
		t.Run("client verifies server/"+profile.String(), func(t *testing.T) {
			config := x509ClientConfig(root, "")
			config.VerifyProfile = profile
			_, _, clientErr, serverErr := handshakePair(t, config, &Config{Certificates: []Certificate{server.certificate()}})
			if !strict {
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				return
			}
			requireAlert(t, clientErr, record.AlertBadCertificate, false)
			requireAlert(t, serverErr, record.AlertBadCertificate, true)
			e := asVerifyError[*x509verify.ExtKeyUsageProfileError](t, clientErr)
			assert.Equal(t, 0, e.Position)
			assert.Contains(t, clientErr.Error(), "BR 7.1.2.7.10")
		})
		t.Run("server verifies client/"+profile.String(), func(t *testing.T) {
			clientConfig := x509ClientConfig(root, "")
			clientConfig.Certificates = []Certificate{client.certificate()}
			serverConfig := &Config{
				Certificates:  []Certificate{goodServer.certificate()},
				ClientAuth:    RequireAndVerifyClientCert,
				ClientCAs:     pool,
				VerifyProfile: profile,
				Time:          func() time.Time { return x509Now },
			}
			_, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			if !strict {
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				return
			}
			requireAlert(t, serverErr, record.AlertBadCertificate, false)
			requireAlert(t, clientErr, record.AlertBadCertificate, true)
			asVerifyError[*x509verify.ExtKeyUsageProfileError](t, serverErr)
		})
	}
}
