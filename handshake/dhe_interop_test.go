package handshake

// Finite-field DHE (RFC 5246 DHE_RSA, RFC 7919 groups) against OpenSSL,
// both directions: the group negotiated through supported_groups, the
// ffdhe2048 fallback for a client that names no group, OpenSSL's own
// choice of group as a server, and a server's 1024-bit group refused.

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
)

// TestOpenSSLClientDHEGroups: `openssl s_client -groups ffdheN` names
// one RFC 7919 group and gets it; with the default groups (which list no
// FFDHE group) it gets ffdhe2048 (RFC 7919, 4). OpenSSL 3.0 puts FFDHE
// groups in supported_groups only when it offers TLS 1.3 too, so these
// clients offer TLS 1.3 and 1.2 and get 1.2 (with -tls1_2 the groups are
// left out and every row would get ffdhe2048).
func TestOpenSSLClientDHEGroups(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, pki.serverConfig())
	for _, tt := range []struct {
		groups string // "" for OpenSSL's default list
		bits   int
	}{
		{"ffdhe2048", 2048},
		{"ffdhe3072", 3072},
		{"ffdhe4096", 4096},
		{"", 2048},
		{"X25519:ffdhe3072", 3072},
	} {
		t.Run("groups="+tt.groups, func(t *testing.T) {
			args := []string{"-cipher", "DHE-RSA-AES128-GCM-SHA256", "-CAfile", pki.file("ca.pem"),
				"-servername", "localhost", "-verify_return_error", "-ign_eof"}
			if tt.groups != "" {
				args = append(args, "-groups", tt.groups)
			}
			out, err := interop.RunOpenSSLClient(t, port, "dhe\n", opensslTimeout, args...)
			require.NoError(t, err, out)
			require.NoError(t, <-results)
			assert.Contains(t, out, "New, TLSv1.2, Cipher is DHE-RSA-AES128-GCM-SHA256")
			assert.Contains(t, out, fmt.Sprintf("Server Temp Key: DH, %d bits", tt.bits))
			assert.Contains(t, out, "dhe", "the echo came back")
		})
	}
}

// TestOpenSSLClientNoFFDHEGroupInCommon: a client that names only FFDHE
// groups we do not accept, and offers only DHE suites, gets
// insufficient_security (RFC 7919, 4).
func TestOpenSSLClientNoFFDHEGroupInCommon(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	serverConfig := pki.serverConfig()
	serverConfig.CurvePreferences = []cipher.CurveID{cipher.CurveX25519, cipher.FFDHE4096}
	port, results := echoServer(t, serverConfig)
	out, err := interop.RunOpenSSLClient(t, port, "", opensslTimeout,
		"-cipher", "DHE-RSA-AES128-GCM-SHA256", "-groups", "ffdhe2048")
	require.Error(t, err)
	requireAlert(t, <-results, record.AlertInsufficientSecurity, false)
	assert.Contains(t, out, "insufficient security")
}

// dhParamFile writes one of OpenSSL's built-in DH groups as a PEM
// parameter file for s_server -dhparam.
func dhParamFile(t *testing.T, group string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), group+".pem")
	out, err := exec.Command(interop.RequireOpenSSL(t), "genpkey", "-genparam", "-algorithm", "DH",
		"-pkeyopt", "group:"+group, "-out", path).CombinedOutput()
	require.NoError(t, err, string(out))
	return path
}

// TestOurClientToOpenSSLServerDHE: OpenSSL 3.0's s_server does not read
// supported_groups for TLS 1.2 DHE; it picks the group itself ("auto DH":
// an RFC 3526 MODP group matching the certificate's strength, the 2048-bit
// one for our RSA-2048 key) unless -dhparam names one. Our client takes
// an RFC 7919 group or any other group of 2048 bits or more (reported as
// CurveID 0: it has no name), and refuses a 1024-bit one with
// insufficient_security.
func TestOurClientToOpenSSLServerDHE(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	for _, tt := range []struct {
		name      string
		dhparam   string // OpenSSL's name for the group; "" for auto DH
		groups    string // s_server -groups; "" for the default
		wantGroup cipher.CurveID
		wantAlert record.AlertDescription
	}{
		{name: "auto", wantGroup: 0},
		// No curve in common: our default client offer ends in DHE.
		{name: "groups ffdhe2048", groups: "ffdhe2048", wantGroup: 0},
		{name: "ffdhe3072", dhparam: "ffdhe3072", wantGroup: cipher.FFDHE3072},
		{name: "modp_2048", dhparam: "modp_2048", wantGroup: 0},
		{name: "dh_1024_160", dhparam: "dh_1024_160", wantAlert: record.AlertInsufficientSecurity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"-tls1_2", "-cert", pki.file("server-rsa.pem"), "-key", pki.file("server-rsa-key.pem"),
				"-cipher", "ECDHE:DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-rev"}
			if tt.dhparam != "" {
				args = append(args, "-dhparam", dhParamFile(t, tt.dhparam))
			}
			config := pki.clientConfig()
			if tt.groups != "" {
				args = append(args, "-groups", tt.groups)
			} else {
				config.CipherSuites = []uint16{0x009E} // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
			}
			_, port := interop.StartOpenSSLServer(t, args...)
			conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
			if tt.wantAlert != 0 {
				requireAlert(t, err, tt.wantAlert, false)
				return
			}
			require.NoError(t, err)
			defer conn.Close()
			assert.Equal(t, uint16(0x009E), conn.ConnectionState().CipherSuite)
			assert.Equal(t, tt.wantGroup, conn.ConnectionState().CurveID)
			_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
			_, err = conn.Write([]byte("dhe\n"))
			require.NoError(t, err)
			assert.Equal(t, "ehd", readLine(t, conn))
		})
	}
}
