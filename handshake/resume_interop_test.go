package handshake

// Session resumption against real peers: crypto/tls (tickets only, as it
// implements no session ID cache) in-process, and OpenSSL's s_client and
// s_server. Each case first does a full handshake ("New") and then expects
// the next ones to resume ("Reused").

import (
	"crypto/tls"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/internal/interop"
)

func TestResumptionCryptoTLSClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	tests := []struct {
		name        string
		serverSetup func(*Config)
		wantResume  bool
	}{
		{name: "tickets", serverSetup: func(*Config) {}, wantResume: true},
		{name: "tickets, no ID cache", serverSetup: func(c *Config) { c.SessionIDCacheDisabled = true }, wantResume: true},
		// crypto/tls offers no session IDs: without tickets nothing resumes.
		{name: "server without tickets", serverSetup: func(c *Config) { c.SessionTicketsDisabled = true }, wantResume: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfig()
			tt.serverSetup(serverConfig)
			goConfig := &tls.Config{
				RootCAs:            pki.goRoots(t),
				ServerName:         "localhost",
				MaxVersion:         tls.VersionTLS12,
				ClientSessionCache: tls.NewLRUClientSessionCache(0),
			}
			for i := range 3 {
				clientRaw, serverRaw := tcpPair(t)
				_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
				goClient := tls.Client(clientRaw, goConfig)
				server := Server(serverRaw, serverConfig)
				errc := make(chan error, 1)
				go func() { errc <- server.Handshake() }()
				require.NoError(t, goClient.Handshake())
				require.NoError(t, <-errc)
				want := tt.wantResume && i > 0
				assert.Equal(t, want, goClient.ConnectionState().DidResume, "handshake %d: crypto/tls DidResume", i)
				assert.Equal(t, want, server.ConnectionState().DidResume, "handshake %d: our DidResume", i)
				exchange(t, goClient, server)
			}
		})
	}
}

func TestResumptionOurClientToCryptoTLSServer(t *testing.T) {
	pki := loadTestPKI(t)
	goServerConfig := &tls.Config{Certificates: pki.goCertificates(t), MaxVersion: tls.VersionTLS12}
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
	for i := range 3 {
		clientRaw, serverRaw := tcpPair(t)
		_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
		goServer := tls.Server(serverRaw, goServerConfig)
		client := Client(clientRaw, clientConfig)
		errc := make(chan error, 1)
		go func() { errc <- goServer.Handshake() }()
		require.NoError(t, client.Handshake())
		require.NoError(t, <-errc)
		assert.Equal(t, i > 0, client.ConnectionState().DidResume, "handshake %d: our DidResume", i)
		assert.Equal(t, i > 0, goServer.ConnectionState().DidResume, "handshake %d: crypto/tls DidResume", i)
		assert.True(t, client.ConnectionState().ExtendedMasterSecret)
		exchange(t, client, goServer)
	}
}

// sessionLines picks s_client's "New, ..." / "Reused, ..." lines, one per
// handshake, reduced to their first word.
func sessionLines(out string) []string {
	var words []string
	for line := range strings.SplitSeq(out, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "New, TLSv1.2") || strings.HasPrefix(line, "Reused, TLSv1.2") {
			words = append(words, line[:strings.Index(line, ",")])
		}
	}
	return words
}

func TestResumptionOpenSSLClientReconnect(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	tests := []struct {
		name       string
		serverSide func(*Config)
		clientArgs []string
	}{
		{name: "session ID (-no_ticket)", serverSide: func(*Config) {}, clientArgs: []string{"-no_ticket"}},
		{name: "session ID, server without tickets", serverSide: func(c *Config) { c.SessionTicketsDisabled = true }},
		{name: "ticket", serverSide: func(c *Config) { c.SessionIDCacheDisabled = true }},
		{name: "ticket and ID", serverSide: func(*Config) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfig()
			tt.serverSide(serverConfig)
			port, results := echoServer(t, serverConfig)
			args := append([]string{"-tls1_2", "-reconnect", "-CAfile", pki.file("ca.pem"),
				"-servername", "localhost", "-verify_return_error"}, tt.clientArgs...)
			out, err := interop.RunOpenSSLClient(t, port, "", opensslTimeout, args...)
			require.NoError(t, err, out)
			// -reconnect: one full handshake, then five reconnections.
			assert.Equal(t, []string{"New", "Reused", "Reused", "Reused", "Reused", "Reused"}, sessionLines(out), out)
			for range 6 {
				select {
				case err := <-results:
					assert.NoError(t, err)
				case <-time.After(opensslTimeout):
					t.Fatal("server did not report a handshake")
				}
			}
		})
	}
}

func TestResumptionOpenSSLClientSessionFiles(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	tests := []struct {
		name       string
		serverSide func(*Config)
		clientArgs []string
	}{
		{name: "session ID (-no_ticket)", serverSide: func(*Config) {}, clientArgs: []string{"-no_ticket"}},
		{name: "ticket", serverSide: func(c *Config) { c.SessionIDCacheDisabled = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfig()
			tt.serverSide(serverConfig)
			port, _ := echoServer(t, serverConfig)
			sessFile := filepath.Join(t.TempDir(), "sess.pem")
			common := append([]string{"-tls1_2", "-CAfile", pki.file("ca.pem"), "-servername", "localhost",
				"-verify_return_error", "-ign_eof"}, tt.clientArgs...)

			out, err := interop.RunOpenSSLClient(t, port, "hello\n", opensslTimeout, append(common, "-sess_out", sessFile)...)
			require.NoError(t, err, out)
			assert.Equal(t, []string{"New"}, sessionLines(out), out)
			_, err = os.Stat(sessFile)
			require.NoError(t, err, "s_client wrote no session file")

			out, err = interop.RunOpenSSLClient(t, port, "hello\n", opensslTimeout, append(common, "-sess_in", sessFile)...)
			require.NoError(t, err, out)
			assert.Equal(t, []string{"Reused"}, sessionLines(out), out)
			assert.Contains(t, out, "hello", "the resumed connection carries data")

			// A server with other ticket keys and an empty cache cannot resume it.
			otherPort, _ := echoServer(t, pki.serverConfig())
			out, err = interop.RunOpenSSLClient(t, otherPort, "hello\n", opensslTimeout, append(common, "-sess_in", sessFile)...)
			require.NoError(t, err, out)
			assert.Equal(t, []string{"New"}, sessionLines(out), out)
		})
	}
}

func TestResumptionOurClientToOpenSSLServer(t *testing.T) {
	pki := loadTestPKI(t)
	tests := []struct {
		name       string
		serverArgs []string
		wantTicket bool
	}{
		{name: "tickets", wantTicket: true},
		{name: "session ID (-no_ticket)", serverArgs: []string{"-no_ticket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-tls1_2", "-cert", pki.file("server-rsa.pem"), "-key", pki.file("server-rsa-key.pem")}, tt.serverArgs...)
			_, port := interop.StartOpenSSLServer(t, args...)
			cache := session.NewLRUClientCache(0)
			clientConfig := pki.clientConfig()
			clientConfig.ClientSessionCache = cache
			addr := "127.0.0.1:" + strconv.Itoa(port)
			for i := range 3 {
				conn, err := DialWithDialer(&net.Dialer{Timeout: opensslTimeout}, "tcp", addr, clientConfig)
				require.NoError(t, err)
				assert.Equal(t, i > 0, conn.ConnectionState().DidResume, "handshake %d", i)
				assert.NotEmpty(t, conn.ConnectionState().PeerCertificates)
				require.NoError(t, conn.Close())
				if i == 0 {
					s, ok := cache.Get("localhost")
					require.True(t, ok)
					assert.Equal(t, tt.wantTicket, len(s.Ticket) > 0, "ticket kept")
				}
			}
		})
	}
}

// A server may send a ticket of up to 2^16-1 bytes (RFC 5077, 3.3), but our
// ClientHello cannot carry one that long beside its other extensions. Here
// crypto/tls plays a server that hands out 65,530-byte tickets
// (WrapSession): the client must not keep such a ticket, so its next
// ClientHello still builds, and a session whose ClientHello cannot be
// built (kept when the hello was smaller: here a Clone with a long ALPN
// list shares the cache) is dropped for a full handshake, not fatal for
// every later connection.
func TestOversizedTicketDoesNotPoisonTheCache(t *testing.T) {
	pki := loadTestPKI(t)
	dial := func(t *testing.T, clientConfig *Config, ticketLen int) (*Conn, error) {
		goServerConfig := &tls.Config{
			Certificates: pki.goCertificates(t),
			MaxVersion:   tls.VersionTLS12,
			WrapSession: func(tls.ConnectionState, *tls.SessionState) ([]byte, error) {
				return make([]byte, ticketLen), nil // opaque to the client; never opens
			},
		}
		clientRaw, serverRaw := tcpPair(t)
		_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
		_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
		goServer := tls.Server(serverRaw, goServerConfig)
		go func() { _ = goServer.Handshake() }()
		client := Client(clientRaw, clientConfig)
		return client, client.Handshake()
	}

	t.Run("a ticket that cannot fit is not kept", func(t *testing.T) {
		clientConfig := pki.clientConfig()
		cache := session.NewLRUClientCache(0)
		clientConfig.ClientSessionCache = cache
		// 65,535 is the longest ticket: its NewSessionTicket is 6 bytes
		// over the 64 KiB cap, and still legal, so read.
		for i, ticketLen := range []int{65530, 65530, 65535, 65535} {
			_, err := dial(t, clientConfig, ticketLen)
			require.NoError(t, err, "connection %d", i)
			if s, ok := cache.Get(clientConfig.ServerName); ok {
				assert.Less(t, len(s.Ticket), 65530, "connection %d: the oversized ticket was kept", i)
			}
		}
	})

	t.Run("a session whose ClientHello fails to build is dropped", func(t *testing.T) {
		clientConfig := pki.clientConfig()
		cache := session.NewLRUClientCache(0)
		clientConfig.ClientSessionCache = cache
		_, err := dial(t, clientConfig, 65000) // fits this client's ClientHello
		require.NoError(t, err)
		s, ok := cache.Get(clientConfig.ServerName)
		require.True(t, ok)
		require.Len(t, s.Ticket, 65000)

		longALPN := clientConfig.Clone()
		for i := range 10 {
			longALPN.NextProtos = append(longALPN.NextProtos, strings.Repeat(string(rune('a'+i)), 200))
		}
		for i := range 2 {
			client, err := dial(t, longALPN, 100)
			require.NoError(t, err, "connection %d", i)
			assert.False(t, client.ConnectionState().DidResume)
		}
		s, ok = cache.Get(clientConfig.ServerName)
		require.True(t, ok, "the new session is kept")
		assert.Len(t, s.Ticket, 100)
	})
}
