package handshake

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// recordedHandshake runs one handshake between a glasstls client and
// server and returns the ClientHello the client sent, besides both ends
// and both errors.
func recordedHandshake(t *testing.T, clientConfig, serverConfig *Config) (clientHello *wire.ClientHello, client, server *Conn, clientErr, serverErr error) {
	t.Helper()
	clientRaw, serverRaw := tcpPair(t)
	_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
	_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
	recorded := &recordingConn{Conn: clientRaw}
	client = Client(recorded, clientConfig)
	server = Server(serverRaw, serverConfig)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serverErr = server.Handshake()
	}()
	clientErr = client.Handshake()
	wg.Wait()
	msg := firstHandshakeMessage(t, recorded.bytes())
	clientHello, ok := msg.(*wire.ClientHello)
	require.True(t, ok, "the client's first message is %T", msg)
	return clientHello, client, server, clientErr, serverErr
}

// firstHandshakeMessage parses the first handshake message of a stream of
// plaintext records (it must fit in the first record).
func firstHandshakeMessage(t *testing.T, stream []byte) wire.Message {
	t.Helper()
	require.GreaterOrEqual(t, len(stream), 9)
	require.Equal(t, byte(record.TypeHandshake), stream[0])
	fragment := stream[5 : 5+(int(stream[3])<<8|int(stream[4]))]
	n := int(fragment[1])<<16 | int(fragment[2])<<8 | int(fragment[3])
	msg, err := wire.Parse(fragment[:4+n], 0)
	require.NoError(t, err)
	return msg
}

// rawServerHello sends hello to a glasstls server on a bare connection and
// returns the ServerHello it answers with.
func rawServerHello(t *testing.T, serverConfig *Config, hello *wire.ClientHello) *wire.ServerHello {
	t.Helper()
	clientRaw, serverRaw := tcpPair(t)
	_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
	_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
	server := Server(serverRaw, serverConfig)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = server.Handshake() // fails: the bare client goes away
	}()
	_, err := clientRaw.Write(rawRecord(record.TypeHandshake, VersionTLS12, mustMarshal(t, hello)))
	require.NoError(t, err)
	header := make([]byte, 5)
	_, err = io.ReadFull(clientRaw, header)
	require.NoError(t, err)
	fragment := make([]byte, int(header[3])<<8|int(header[4]))
	_, err = io.ReadFull(clientRaw, fragment)
	require.NoError(t, err)
	clientRaw.Close()
	<-done
	msg := firstHandshakeMessage(t, append(header, fragment...))
	serverHello, ok := msg.(*wire.ServerHello)
	require.True(t, ok, "the server answered with %T", msg)
	return serverHello
}

// resumingHello is a ClientHello like our client's, offering the cached
// session s by its session ID (and ticket, if given).
func resumingHello(s *session.State, ticket []byte) *wire.ClientHello {
	return &wire.ClientHello{
		Vers:                         VersionTLS12,
		Random:                       make([]byte, 32),
		SessionID:                    s.SessionID,
		CipherSuites:                 []uint16{s.CipherSuite},
		CompressionMethods:           []uint8{wire.CompressionNone},
		ServerName:                   "localhost",
		SupportedCurves:              []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256},
		SupportedPoints:              []uint8{wire.PointFormatUncompressed},
		SupportedSignatureAlgorithms: defaultSignatureSchemes(),
		ExtendedMasterSecret:         s.ExtendedMasterSecret,
		TicketSupported:              true,
		SessionTicket:                ticket,
	}
}

// Issue 12, item 1: a client offers a session only if it would pass
// verification now: made by a verifying handshake, and its chain still
// good for today's roots, clock and ServerName.
func TestResumptionClientOffersOnlyVerifiedSessions(t *testing.T) {
	pki := loadTestPKI(t)
	evilRoots := x509verify.NewPool()
	evilPEM, err := os.ReadFile(pki.file("evil-ca.pem"))
	require.NoError(t, err)
	require.True(t, evilRoots.AppendPEM(evilPEM))

	tests := []struct {
		name string
		// first makes the session; second must not resume it.
		first, second func(verifying *Config) *Config
		secondFails   record.AlertDescription // the full handshake's verdict; 0: it succeeds
	}{
		{
			name: "session of an InsecureSkipVerify clone, for a host the certificate does not name",
			first: func(c *Config) *Config {
				insecure := c.Clone()
				insecure.ServerName = "evil.example"
				insecure.InsecureSkipVerify = true
				return insecure
			},
			second: func(c *Config) *Config {
				c2 := c.Clone()
				c2.ServerName = "evil.example"
				return c2
			},
			secondFails: record.AlertBadCertificate,
		},
		{
			name: "session of an InsecureSkipVerify clone, for a good host",
			first: func(c *Config) *Config {
				insecure := c.Clone()
				insecure.InsecureSkipVerify = true
				return insecure
			},
			second: func(c *Config) *Config { return c },
		},
		{
			name:  "other RootCAs",
			first: func(c *Config) *Config { return c },
			second: func(c *Config) *Config {
				c2 := c.Clone()
				c2.RootCAs = evilRoots
				return c2
			},
			secondFails: record.AlertUnknownCA,
		},
		{
			name:  "other ServerName under the same cache key",
			first: func(c *Config) *Config { return c },
			second: func(c *Config) *Config {
				c2 := c.Clone()
				c2.ServerName = "glasstls.test" // the certificate names it too
				c2.ClientSessionCache = &renamingCache{ClientCache: c.ClientSessionCache, from: "glasstls.test", to: "localhost"}
				return c2
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verifying := pki.clientConfig()
			verifying.ClientSessionCache = session.NewLRUClientCache(0)
			serverConfig := pki.serverConfig()

			clientResumed, _ := resumePair(t, tt.first(verifying), serverConfig)
			require.False(t, clientResumed)

			second := tt.second(verifying)
			hello, client, _, clientErr, _ := recordedHandshake(t, second, serverConfig)
			assert.Empty(t, hello.SessionTicket, "no ticket offered")
			assert.Empty(t, hello.SessionID, "no session ID offered")
			if tt.secondFails != 0 {
				requireAlert(t, clientErr, tt.secondFails, false)
				return
			}
			require.NoError(t, clientErr)
			assert.False(t, client.ConnectionState().DidResume)
			assert.NotEmpty(t, client.ConnectionState().VerifiedChains)
		})
	}
}

// Issue 12, item 1: a resumed client connection reports the verified
// chains as a full handshake does, and VerifyConnection sees them.
func TestResumptionClientHasVerifiedChains(t *testing.T) {
	pki := loadTestPKI(t)
	var seen []ConnectionState
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
	clientConfig.VerifyConnection = func(cs ConnectionState) error {
		seen = append(seen, cs)
		if len(cs.VerifiedChains) == 0 {
			return errors.New("no verified chain")
		}
		return nil
	}
	serverConfig := pki.serverConfig()

	for i := range 3 {
		client, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
		require.NoError(t, clientErr, "handshake %d", i)
		require.NoError(t, serverErr)
		cs := client.ConnectionState()
		assert.Equal(t, i > 0, cs.DidResume, "handshake %d", i)
		assert.NotEmpty(t, cs.PeerCertificates)
		require.NotEmpty(t, cs.VerifiedChains, "handshake %d", i)
		assert.Equal(t, pki.caCert(t).Raw, cs.VerifiedChains[0][len(cs.VerifiedChains[0])-1].Raw, "the chain ends at our root")
	}
	require.Len(t, seen, 3)
	for _, cs := range seen {
		assert.NotEmpty(t, cs.VerifiedChains)
		assert.NotEmpty(t, cs.PeerCertificates)
	}
}

// Issue 12, item 1: a resumption that fails takes the session out of the
// client's cache (RFC 5246, 7.2: the failed session "MUST" not be used to
// establish new connections), so the next dial does a full handshake.
func TestResumptionFailureForgetsSession(t *testing.T) {
	pki := loadTestPKI(t)
	t.Run("VerifyConnection refuses the resumption", func(t *testing.T) {
		cache := session.NewLRUClientCache(0)
		refuse := false
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = cache
		clientConfig.VerifyConnection = func(cs ConnectionState) error {
			if refuse && cs.DidResume {
				return errors.New("refused on resumption")
			}
			return nil
		}
		serverConfig := pki.serverConfig()
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.False(t, clientResumed)

		refuse = true
		_, _, clientErr, _ := handshakePair(t, clientConfig, serverConfig)
		requireAlert(t, clientErr, record.AlertBadCertificate, false)
		_, ok := cache.Get("localhost")
		assert.False(t, ok, "the refused session is forgotten")

		clientResumed, _ = resumePair(t, clientConfig, serverConfig)
		assert.False(t, clientResumed, "the next dial does a full handshake, and succeeds")
	})
	t.Run("the abbreviated handshake fails", func(t *testing.T) {
		cache := session.NewLRUClientCache(0)
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = cache
		serverConfig := pki.serverConfig()
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.False(t, clientResumed)

		// A resuming server whose first flight is damaged on the way: the
		// last byte of its Finished record flips.
		clientRaw, serverRaw := tcpPair(t)
		_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
		_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
		damaged := &corruptingConn{Conn: serverRaw, next: func(b []byte) []byte {
			b[len(b)-1] ^= 1
			return b
		}}
		client := Client(clientRaw, clientConfig)
		server := Server(damaged, serverConfig)
		go func() { _ = server.Handshake() }()
		err := client.Handshake()
		requireAlert(t, err, record.AlertBadRecordMAC, false)
		client.Close()
		server.Close()
		_, ok := cache.Get("localhost")
		assert.False(t, ok, "the failed session is forgotten")
	})
}

// Issue 12, item 4 (RFC 5077, 3.4): "If a ticket is presented by the
// client, the server MUST NOT attempt to use the Session ID in the
// ClientHello for stateful session resumption."
func TestResumptionServerIgnoresSessionIDWithTicket(t *testing.T) {
	pki := loadTestPKI(t)
	cache := session.NewLRUClientCache(0)
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = cache
	serverConfig := pki.serverConfig() // tickets and the session ID cache both on
	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)
	s, ok := cache.Get("localhost")
	require.True(t, ok)
	require.NotEmpty(t, s.SessionID)
	require.NotEmpty(t, s.Ticket)

	control := rawServerHello(t, serverConfig, resumingHello(s, nil))
	require.Equal(t, s.SessionID, control.SessionID, "control: the session ID alone resumes")

	badTicket := append([]byte(nil), s.Ticket...)
	badTicket[len(badTicket)/2] ^= 1
	serverHello := rawServerHello(t, serverConfig, resumingHello(s, badTicket))
	assert.NotEqual(t, s.SessionID, serverHello.SessionID, "a ticket that does not open means a full handshake")
}

// Issue 12, item 4: a client resuming with a ticket sends a fresh random
// session ID, not the one the server gave (which would link the
// connections), and tells the resumption from the server's echo of it.
func TestResumptionTicketWithFreshSessionID(t *testing.T) {
	pki := loadTestPKI(t)
	cache := session.NewLRUClientCache(0)
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = cache
	serverConfig := pki.serverConfig()
	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)
	s, ok := cache.Get("localhost")
	require.True(t, ok)
	require.NotEmpty(t, s.SessionID)
	original := s.SessionID

	var sent [][]byte
	for range 2 {
		hello, client, server, clientErr, serverErr := recordedHandshake(t, clientConfig, serverConfig)
		require.NoError(t, clientErr)
		require.NoError(t, serverErr)
		assert.True(t, client.ConnectionState().DidResume)
		assert.True(t, server.ConnectionState().DidResume)
		require.NotEmpty(t, hello.SessionTicket)
		assert.Len(t, hello.SessionID, 32)
		assert.NotEqual(t, original, hello.SessionID, "not the server's session ID")
		sent = append(sent, hello.SessionID)
	}
	assert.NotEqual(t, sent[0], sent[1], "a new one each time")

	// Without tickets the session ID is what resumes, so it is sent.
	noTickets := clientConfig.Clone()
	noTickets.SessionTicketsDisabled = true
	hello, client, _, clientErr, _ := recordedHandshake(t, noTickets, serverConfig)
	require.NoError(t, clientErr)
	assert.True(t, client.ConnectionState().DidResume)
	assert.Equal(t, original, hello.SessionID)
}

// Issue 12, item 5 (RFC 6066, 3): "When resuming a session, the server
// MUST NOT include a server_name extension in the server hello."
func TestResumedServerHelloHasNoServerName(t *testing.T) {
	pki := loadTestPKI(t)
	cache := session.NewLRUClientCache(0)
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = cache
	serverConfig := pki.serverConfig()
	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)
	s, ok := cache.Get("localhost")
	require.True(t, ok)

	full := rawServerHello(t, serverConfig, &wire.ClientHello{
		Vers: VersionTLS12, Random: make([]byte, 32), CipherSuites: []uint16{s.CipherSuite},
		CompressionMethods: []uint8{wire.CompressionNone}, ServerName: "localhost",
		SupportedCurves: []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256}, SupportedPoints: []uint8{wire.PointFormatUncompressed},
		SupportedSignatureAlgorithms: defaultSignatureSchemes(), ExtendedMasterSecret: true,
	})
	assert.True(t, full.ServerNameAck, "control: a full handshake acknowledges server_name")

	for name, ticket := range map[string][]byte{"by session ID": nil, "by ticket": s.Ticket} {
		t.Run(name, func(t *testing.T) {
			hello := resumingHello(s, ticket)
			hello.SessionID = []byte("a fresh session ID, 32 bytes....")
			if ticket == nil {
				hello.SessionID = s.SessionID
			}
			resumed := rawServerHello(t, serverConfig, hello)
			require.Equal(t, hello.SessionID, resumed.SessionID, "control: resumed")
			assert.False(t, resumed.ServerNameAck)
		})
	}
}

// Issue 12, item 6 (RFC 6066, 3): "The hostname is represented as a byte
// string using ASCII encoding without a trailing dot." A ServerName with
// one still verifies, and resumes under the name without it.
func TestServerNameTrailingDot(t *testing.T) {
	pki := loadTestPKI(t)
	cache := session.NewLRUClientCache(0)
	clientConfig := pki.clientConfig()
	clientConfig.ServerName = "localhost."
	clientConfig.ClientSessionCache = cache
	var names []string
	serverConfig := pki.serverConfig()
	serverConfig.VerifyConnection = func(cs ConnectionState) error {
		names = append(names, cs.ServerName)
		return nil
	}

	hello, client, _, clientErr, serverErr := recordedHandshake(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, "localhost", hello.ServerName, "sent without the dot")
	assert.NotEmpty(t, client.ConnectionState().VerifiedChains)
	s, ok := cache.Get("localhost")
	require.True(t, ok, "kept under the name without the dot")
	assert.Equal(t, "localhost", s.ServerName)

	// The same host written either way resumes the session.
	for _, name := range []string{"localhost.", "localhost"} {
		c := clientConfig.Clone()
		c.ServerName = name
		clientResumed, serverResumed := resumePair(t, c, serverConfig)
		assert.True(t, clientResumed, name)
		assert.True(t, serverResumed, name)
	}
	assert.Equal(t, []string{"localhost", "localhost", "localhost"}, names, "the server saw the name without the dot")
}

var _ net.Conn = (*recordingConn)(nil)
