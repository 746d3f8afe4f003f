package handshake

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/record"
)

// resumePair runs one handshake between a client and a server config and
// reports whether each side resumed; it checks that data flows either way.
func resumePair(t *testing.T, clientConfig, serverConfig *Config) (clientResumed, serverResumed bool) {
	t.Helper()
	client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	cs, ss := client.ConnectionState(), server.ConnectionState()
	assert.Equal(t, cs.CipherSuite, ss.CipherSuite)
	assert.Equal(t, cs.ExtendedMasterSecret, ss.ExtendedMasterSecret)
	assert.NotEmpty(t, cs.PeerCertificates, "a resumed client still knows the server's chain")
	exchange(t, client, server)
	return cs.DidResume, ss.DidResume
}

// fakeClock is a Config.Time that tests move forward by hand.
type fakeClock struct{ now time.Time }

func (f *fakeClock) Now() time.Time { return f.now }

func TestResumptionOursToOurs(t *testing.T) {
	pki := loadTestPKI(t)
	tests := []struct {
		name                  string
		clientTicketsDisabled bool
		serverTicketsDisabled bool
		serverIDCacheDisabled bool
		suite                 uint16
		wantTicket            bool
		wantSessionID         bool
	}{
		{name: "ticket and ID", wantTicket: true, wantSessionID: true},
		{name: "ID only, server without tickets", serverTicketsDisabled: true, wantSessionID: true},
		{name: "ID only, client without tickets", clientTicketsDisabled: true, wantSessionID: true},
		{name: "ticket only", serverIDCacheDisabled: true, wantTicket: true},
		{name: "CBC suite with EtM", suite: 0xC013, wantTicket: true, wantSessionID: true},
		{name: "ECDSA suite", suite: 0xC02B, wantTicket: true, wantSessionID: true},
		{name: "RSA key exchange", suite: 0x009C, wantTicket: true, wantSessionID: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := session.NewLRUClientCache(0)
			clientConfig := pki.clientConfig()
			clientConfig.ClientSessionCache = cache
			clientConfig.SessionTicketsDisabled = tt.clientTicketsDisabled
			serverConfig := pki.serverConfig()
			serverConfig.SessionTicketsDisabled = tt.serverTicketsDisabled
			serverConfig.SessionIDCacheDisabled = tt.serverIDCacheDisabled
			if tt.suite != 0 {
				clientConfig.CipherSuites = []uint16{tt.suite}
				serverConfig.CipherSuites = allSuiteIDs()
			}

			clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
			assert.False(t, clientResumed, "first handshake is full")
			assert.False(t, serverResumed)
			s, ok := cache.Get("localhost")
			require.True(t, ok, "the client keeps the session")
			assert.Equal(t, tt.wantTicket, len(s.Ticket) > 0, "ticket")
			assert.Equal(t, tt.wantSessionID, len(s.SessionID) > 0, "session ID")
			assert.Len(t, s.MasterSecret, 48)

			for range 3 {
				clientResumed, serverResumed = resumePair(t, clientConfig, serverConfig)
				assert.True(t, clientResumed, "later handshakes resume")
				assert.True(t, serverResumed)
			}
		})
	}
}

func TestResumptionRefused(t *testing.T) {
	pki := loadTestPKI(t)
	clock := &fakeClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	tests := []struct {
		name string
		// change alters the configs after the first (full) handshake.
		change func(clientConfig, serverConfig *Config) (*Config, *Config)
	}{
		{"other server, other ticket keys", func(cc, sc *Config) (*Config, *Config) {
			other := pki.serverConfig()
			other.Time = clock.Now
			return cc, other
		}},
		{"expired session", func(cc, sc *Config) (*Config, *Config) {
			clock.now = clock.now.Add(session.DefaultLifetime + time.Minute)
			return cc, sc
		}},
		{"suite no longer accepted by the server", func(cc, sc *Config) (*Config, *Config) {
			sc2 := sc.Clone()
			sc2.CipherSuites = []uint16{0xC02F} // ECDHE-RSA-AES128-GCM only
			return cc, sc2
		}},
		{"suite no longer offered by the client", func(cc, sc *Config) (*Config, *Config) {
			cc2 := cc.Clone()
			cc2.CipherSuites = []uint16{0xC02F}
			return cc2, sc
		}},
		{"server name differs", func(cc, sc *Config) (*Config, *Config) {
			// Same cache key (the key is the client's choice), another SNI
			// name, and a cache that even relabels the session, so that the
			// client offers it and the server's check is the one that refuses.
			cc2 := cc.Clone()
			cc2.ClientSessionCache = &renamingCache{ClientCache: cc.ClientSessionCache, from: "example.com", to: "localhost", relabel: true}
			cc2.ServerName = "example.com"
			cc2.InsecureSkipVerify = true
			return cc2, sc
		}},
		{"tickets and cache disabled on the server", func(cc, sc *Config) (*Config, *Config) {
			sc2 := sc.Clone()
			sc2.SessionTicketsDisabled = true
			sc2.SessionIDCacheDisabled = true
			return cc, sc2
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
			clientConfig := pki.clientConfig()
			clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
			clientConfig.Time = clock.Now
			clientConfig.CipherSuites = []uint16{0xC030, 0xC02F}
			serverConfig := pki.serverConfig()
			serverConfig.Time = clock.Now
			serverConfig.CipherSuites = []uint16{0xC030, 0xC02F}

			clientResumed, _ := resumePair(t, clientConfig, serverConfig)
			require.False(t, clientResumed)
			clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
			require.True(t, clientResumed, "control: unchanged configs resume")
			require.True(t, serverResumed)

			clientConfig, serverConfig = tt.change(clientConfig, serverConfig)
			clientResumed, serverResumed = resumePair(t, clientConfig, serverConfig)
			assert.False(t, clientResumed, "must fall back to a full handshake")
			assert.False(t, serverResumed)
		})
	}
}

// renamingCache looks up sessions under another key, so a test can offer a
// session to a server under a different SNI name. With relabel it also
// gives the session the asked-for name (a faulty cache), which gets it
// past the client's own check.
type renamingCache struct {
	session.ClientCache
	from, to string
	relabel  bool
}

func (r *renamingCache) Get(key string) (*session.State, bool) {
	if key != r.from {
		return r.ClientCache.Get(key)
	}
	s, ok := r.ClientCache.Get(r.to)
	if !ok || !r.relabel {
		return s, ok
	}
	relabelled := *s
	relabelled.ServerName = r.from
	return &relabelled, true
}

// tamperingCache flips one bit of every ticket it hands out.
type tamperingCache struct{ session.ClientCache }

func (c *tamperingCache) Get(key string) (*session.State, bool) {
	s, ok := c.ClientCache.Get(key)
	if !ok || len(s.Ticket) == 0 {
		return s, ok
	}
	tampered := *s
	tampered.Ticket = append([]byte(nil), s.Ticket...)
	tampered.Ticket[len(tampered.Ticket)/2] ^= 0x01
	return &tampered, true
}

func TestResumptionTamperedTicketGivesFullHandshake(t *testing.T) {
	pki := loadTestPKI(t)
	cache := session.NewLRUClientCache(0)
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = &tamperingCache{cache}
	serverConfig := pki.serverConfig()
	serverConfig.SessionIDCacheDisabled = true // only the ticket could resume

	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)
	for range 2 {
		clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
		assert.False(t, clientResumed, "a tampered ticket must not resume")
		assert.False(t, serverResumed)
	}
	// Control: the untampered ticket does.
	clientConfig.ClientSessionCache = cache
	clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
	assert.True(t, clientResumed)
	assert.True(t, serverResumed)
}

func TestResumptionEMSMismatch(t *testing.T) {
	pki := loadTestPKI(t)

	t.Run("EMS session offered without EMS: server aborts", func(t *testing.T) {
		cache := session.NewLRUClientCache(0)
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = cache
		serverConfig := pki.serverConfig()
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.False(t, clientResumed)

		// The same session (with EMS), offered by a client that now leaves
		// EMS out: RFC 7627, 5.3 says abort.
		noEMS := clientConfig.Clone()
		noEMS.DisableExtendedMasterSecret = true
		_, _, clientErr, serverErr := handshakePair(t, noEMS, serverConfig)
		requireAlert(t, serverErr, record.AlertHandshakeFailure, false)
		requireAlert(t, clientErr, record.AlertHandshakeFailure, true)
	})

	t.Run("non-EMS session is not offered with EMS", func(t *testing.T) {
		cache := session.NewLRUClientCache(0)
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = cache
		clientConfig.DisableExtendedMasterSecret = true
		serverConfig := pki.serverConfig()
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.False(t, clientResumed)
		clientResumed, _ = resumePair(t, clientConfig, serverConfig)
		require.True(t, clientResumed, "control: without EMS on both handshakes it resumes")

		withEMS := clientConfig.Clone()
		withEMS.DisableExtendedMasterSecret = false
		clientResumed, serverResumed := resumePair(t, withEMS, serverConfig)
		assert.False(t, clientResumed)
		assert.False(t, serverResumed)
	})
}

func TestResumptionConcurrent(t *testing.T) {
	pki := loadTestPKI(t)
	serverConfig := pki.serverConfig()
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)

	ln, err := Listen("tcp", "127.0.0.1:0", serverConfig)
	require.NoError(t, err)
	defer ln.Close()
	const n = 24
	go func() {
		for range n {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
				buf := make([]byte, 5)
				if _, err := conn.Read(buf); err == nil {
					_, _ = conn.Write(buf)
				}
			}()
		}
	}()
	results := make(chan error, n)
	resumed := make(chan bool, n)
	for range n {
		go func() {
			conn, err := DialWithDialer(&net.Dialer{Timeout: 20 * time.Second}, "tcp", ln.Addr().String(), clientConfig)
			if err != nil {
				results <- err
				return
			}
			defer conn.Close()
			resumed <- conn.ConnectionState().DidResume
			if _, err := conn.Write([]byte("hello")); err != nil {
				results <- err
				return
			}
			_, err = io.ReadFull(conn, make([]byte, 5))
			results <- err
		}()
	}
	for range n {
		require.NoError(t, <-results)
	}
	close(resumed)
	count := 0
	for r := range resumed {
		if r {
			count++
		}
	}
	assert.Equal(t, n, count, "every concurrent handshake resumes")
}

// The client's VerifyConnection runs on resumptions too, told so by
// DidResume, and refusing there ends the handshake with bad_certificate
// before the client's Finished.
func TestResumptionClientVerifyConnection(t *testing.T) {
	pki := loadTestPKI(t)
	var seen []bool // DidResume of each call
	refuseResumed := false
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
	clientConfig.VerifyConnection = func(state ConnectionState) error {
		seen = append(seen, state.DidResume)
		if len(state.PeerCertificates) == 0 {
			return errors.New("no server certificate")
		}
		if state.DidResume && refuseResumed {
			return errors.New("refused on resumption")
		}
		return nil
	}
	serverConfig := pki.serverConfig()

	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)
	clientResumed, _ = resumePair(t, clientConfig, serverConfig)
	require.True(t, clientResumed)
	assert.Equal(t, []bool{false, true}, seen, "one call per handshake, DidResume set on the second")

	refuseResumed = true
	_, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, clientErr, record.AlertBadCertificate, false)
	requireAlert(t, serverErr, record.AlertBadCertificate, true)
}
