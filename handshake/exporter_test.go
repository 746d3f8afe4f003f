package handshake

import (
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/prf"
)

// exporterCases are the label/context pairs the tests export with: no
// context and an empty context must give different bytes (RFC 5705, 4).
var exporterCases = []struct {
	label   string
	context []byte
	length  int
}{
	{"EXPERIMENTAL glasstls", nil, 32},
	{"EXPERIMENTAL glasstls", []byte{}, 32},
	{"EXPERIMENTAL glasstls", []byte("some context"), 100},
	{"EXPORTER-Channel-Binding", nil, 32}, // RFC 9266's tls-exporter label
}

// Our client and our server, full handshake and resumption, every suite
// hash (SHA-256 and SHA-384 PRFs): both ends export the same bytes, and
// different inputs give different bytes.
func TestExportKeyingMaterialOursToOurs(t *testing.T) {
	pki := loadTestPKI(t)
	for _, suite := range []uint16{0xC02F, 0xC030} { // ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES256-GCM-SHA384
		clientConfig := pki.clientConfig()
		clientConfig.CipherSuites = []uint16{suite}
		clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
		serverConfig := pki.serverConfig()
		var previous []byte
		for _, resume := range []bool{false, true} {
			t.Run(fmt.Sprintf("%#04x/resumed=%v", suite, resume), func(t *testing.T) {
				client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				require.Equal(t, resume, client.ConnectionState().DidResume)
				seen := map[string]bool{}
				for _, c := range exporterCases {
					got, err := client.ExportKeyingMaterial(c.label, c.context, c.length)
					require.NoError(t, err)
					want, err := server.ExportKeyingMaterial(c.label, c.context, c.length)
					require.NoError(t, err)
					assert.Equal(t, want, got)
					assert.Len(t, got, c.length)
					assert.False(t, seen[hex.EncodeToString(got[:32])], "each case exports other bytes")
					seen[hex.EncodeToString(got[:32])] = true
				}
				// A resumption has the same master secret but new randoms,
				// so it exports other bytes (RFC 5705, 4).
				first, err := client.ExportKeyingMaterial("EXPERIMENTAL glasstls", nil, 32)
				require.NoError(t, err)
				assert.NotEqual(t, previous, first)
				previous = first
				exchange(t, client, server)
			})
		}
	}
}

func TestExportKeyingMaterialRefused(t *testing.T) {
	pki := loadTestPKI(t)

	// Before the handshake there is nothing to export from.
	clientRaw, _ := tcpPair(t)
	_, err := Client(clientRaw, pki.clientConfig()).ExportKeyingMaterial("EXPERIMENTAL x", nil, 16)
	assert.ErrorIs(t, err, ErrExportBeforeHandshake)

	// Reserved labels and oversized contexts, on a good connection.
	client, server, clientErr, serverErr := handshakePair(t, pki.clientConfig(), pki.serverConfig())
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	_, err = client.ExportKeyingMaterial("key expansion", nil, 16)
	assert.ErrorIs(t, err, prf.ErrReservedLabel)
	_, err = server.ExportKeyingMaterial("master secret", nil, 16)
	assert.ErrorIs(t, err, prf.ErrReservedLabel)
	_, err = client.ExportKeyingMaterial("EXPERIMENTAL x", make([]byte, 1<<16), 16)
	assert.ErrorIs(t, err, prf.ErrContextTooLong)
	_, err = client.ExportKeyingMaterial("EXPERIMENTAL x", nil, 16)
	assert.NoError(t, err, "control")
	exchange(t, client, server)

	// RFC 7627, 5.4: no extended master secret, no export, on either side.
	clientConfig := pki.clientConfig()
	clientConfig.DisableExtendedMasterSecret = true
	client, server, clientErr, serverErr = handshakePair(t, clientConfig, pki.serverConfig())
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	require.False(t, client.ConnectionState().ExtendedMasterSecret)
	_, err = client.ExportKeyingMaterial("EXPERIMENTAL x", nil, 16)
	assert.ErrorIs(t, err, ErrExportWithoutEMS)
	_, err = server.ExportKeyingMaterial("EXPERIMENTAL x", nil, 16)
	assert.ErrorIs(t, err, ErrExportWithoutEMS)
	exchange(t, client, server)
}

// crypto/tls as the yardstick, in both roles.
func TestExportKeyingMaterialCryptoTLS(t *testing.T) {
	pki := loadTestPKI(t)
	check := func(t *testing.T, ours *Conn, theirs *tls.Conn) {
		for _, c := range exporterCases {
			state := theirs.ConnectionState()
			want, err := state.ExportKeyingMaterial(c.label, c.context, c.length)
			require.NoError(t, err)
			got, err := ours.ExportKeyingMaterial(c.label, c.context, c.length)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%q %q", c.label, c.context)
		}
	}
	for _, suite := range []uint16{0xC02F, 0xC030, 0x009C} { // SHA-256 PRF, SHA-384 PRF, RSA key exchange
		t.Run(fmt.Sprintf("crypto/tls client %#04x", suite), func(t *testing.T) {
			clientRaw, serverRaw := tcpPair(t)
			goClient := tls.Client(clientRaw, &tls.Config{RootCAs: pki.goRoots(t), ServerName: "localhost",
				CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12})
			serverConfig := pki.serverConfig()
			serverConfig.CipherSuites = allSuiteIDs()
			server := Server(serverRaw, serverConfig)
			errc := make(chan error, 1)
			go func() { errc <- server.Handshake() }()
			require.NoError(t, goClient.Handshake())
			require.NoError(t, <-errc)
			check(t, server, goClient)
		})
		t.Run(fmt.Sprintf("crypto/tls server %#04x", suite), func(t *testing.T) {
			clientRaw, serverRaw := tcpPair(t)
			goServer := tls.Server(serverRaw, &tls.Config{Certificates: pki.goCertificates(t),
				CipherSuites: []uint16{suite}, MaxVersion: tls.VersionTLS12})
			clientConfig := pki.clientConfig()
			clientConfig.CipherSuites = []uint16{suite}
			client := Client(clientRaw, clientConfig)
			errc := make(chan error, 1)
			go func() { errc <- goServer.Handshake() }()
			require.NoError(t, client.Handshake())
			require.NoError(t, <-errc)
			check(t, client, goServer)
		})
	}
}

// keyingMaterialLine is how s_client and s_server print the export.
var keyingMaterialLine = regexp.MustCompile(`Keying material: ([0-9A-Fa-f]+)`)

// OpenSSL's s_client and s_server export without a context.
func TestExportKeyingMaterialOpenSSL(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	const label, length = "EXPERIMENTAL glasstls", 40

	t.Run("s_client to our server", func(t *testing.T) {
		// Our server sends its export, in hex, as the first line.
		ln, err := Listen("tcp", "127.0.0.1:0", pki.serverConfig())
		require.NoError(t, err)
		t.Cleanup(func() { ln.Close() })
		done := make(chan error, 1)
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				done <- err
				return
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
			tc := conn.(*Conn)
			if err := tc.Handshake(); err != nil {
				done <- err
				return
			}
			ekm, err := tc.ExportKeyingMaterial(label, nil, length)
			if err == nil {
				_, err = fmt.Fprintf(conn, "ours=%x\n", ekm)
			}
			done <- err
		}()
		out, err := interop.RunOpenSSLClient(t, ln.Addr().(*net.TCPAddr).Port, "", opensslTimeout,
			"-tls1_2", "-CAfile", pki.file("ca.pem"), "-servername", "localhost",
			"-keymatexport", label, "-keymatexportlen", fmt.Sprint(length), "-ign_eof")
		require.NoError(t, err, out)
		require.NoError(t, <-done)
		m := keyingMaterialLine.FindStringSubmatch(out)
		require.NotNil(t, m, out)
		assert.Contains(t, out, "ours="+strings.ToLower(m[1]), "our server exported what s_client did")
	})

	t.Run("our client to s_server", func(t *testing.T) {
		proc, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-rsa.pem"),
			"-key", pki.file("server-rsa-key.pem"), "-keymatexport", label, "-keymatexportlen", fmt.Sprint(length))
		conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), pki.clientConfig())
		require.NoError(t, err)
		defer conn.Close()
		ekm, err := conn.ExportKeyingMaterial(label, nil, length)
		require.NoError(t, err)
		require.NoError(t, proc.WaitFor("Keying material: ", opensslTimeout), proc.Output())
		require.NoError(t, proc.WaitFor(fmt.Sprintf("%X", ekm), opensslTimeout), "s_server printed our export: %s", proc.Output())
	})
}
