package handshake

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

// cachedTicket is the ticket the client cache holds for "localhost".
func cachedTicket(t *testing.T, cache session.ClientCache) []byte {
	t.Helper()
	s, ok := cache.Get("localhost")
	require.True(t, ok, "the client keeps the session")
	return s.Ticket
}

// RFC 5077, 3.3: a server resuming from a ticket may send a new one. Ours
// does when the ticket's key no longer seals, and when the client resumed
// by session ID and has no ticket; a ticket of the current key is kept.
func TestResumptionRenewsTicketOnlyWhenItsKeyIsOld(t *testing.T) {
	pki := loadTestPKI(t)
	var oldKey, newKey [session.TicketKeySize]byte
	oldKey[0], newKey[0] = 1, 2

	t.Run("ticket of the current key is kept", func(t *testing.T) {
		serverConfig := pki.serverConfig()
		require.NoError(t, serverConfig.SetTicketKeys([][session.TicketKeySize]byte{oldKey}))
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
		resumed, _ := resumePair(t, clientConfig, serverConfig)
		require.False(t, resumed)
		ticket := cachedTicket(t, clientConfig.ClientSessionCache)
		require.NotEmpty(t, ticket)

		for range 2 {
			clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
			assert.True(t, clientResumed)
			assert.True(t, serverResumed)
			assert.Equal(t, ticket, cachedTicket(t, clientConfig.ClientSessionCache), "no new ticket: the client resumes with the one it has")
		}
	})

	t.Run("ticket of a key that only opens is replaced", func(t *testing.T) {
		serverConfig := pki.serverConfig()
		serverConfig.SessionIDCacheDisabled = true // resumption by ticket only
		require.NoError(t, serverConfig.SetTicketKeys([][session.TicketKeySize]byte{oldKey}))
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
		resumePair(t, clientConfig, serverConfig)
		oldTicket := cachedTicket(t, clientConfig.ClientSessionCache)

		// The fleet rotates: the new key seals, the old one still opens.
		require.NoError(t, serverConfig.SetTicketKeys([][session.TicketKeySize]byte{newKey, oldKey}))
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.True(t, clientResumed)
		assert.NotEqual(t, oldTicket, cachedTicket(t, clientConfig.ClientSessionCache), "a ticket of the new key")

		// The old key retires; the client's ticket is already the new key's.
		require.NoError(t, serverConfig.SetTicketKeys([][session.TicketKeySize]byte{newKey}))
		clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
		assert.True(t, clientResumed, "resumes after the old key retired")
		assert.True(t, serverResumed)
	})

	t.Run("ticket of a key due for rotation is replaced", func(t *testing.T) {
		clock := &fakeClock{now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
		serverConfig := pki.serverConfig()
		serverConfig.Time = clock.Now
		first := pki.clientConfig()
		first.Time = clock.Now
		first.ClientSessionCache = session.NewLRUClientCache(0)
		resumePair(t, first, serverConfig) // the server's first ticket key is made now

		// A session made shortly before the key's rotation is due, resumed
		// shortly after: the ticket is young, its key is not.
		clock.now = clock.now.Add(session.DefaultTicketRotation - 10*time.Minute)
		clientConfig := pki.clientConfig()
		clientConfig.Time = clock.Now
		clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
		resumePair(t, clientConfig, serverConfig)
		ticket := cachedTicket(t, clientConfig.ClientSessionCache)

		clock.now = clock.now.Add(20 * time.Minute)
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.True(t, clientResumed)
		assert.NotEqual(t, ticket, cachedTicket(t, clientConfig.ClientSessionCache), "a ticket of the next key")
	})

	t.Run("resumed by session ID, the client gets a ticket", func(t *testing.T) {
		serverConfig := pki.serverConfig()
		serverConfig.SessionTicketsDisabled = true // the first session has an ID only
		clientConfig := pki.clientConfig()
		clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
		resumePair(t, clientConfig, serverConfig)
		require.Empty(t, cachedTicket(t, clientConfig.ClientSessionCache))

		serverConfig.SessionTicketsDisabled = false
		clientResumed, _ := resumePair(t, clientConfig, serverConfig)
		require.True(t, clientResumed)
		assert.NotEmpty(t, cachedTicket(t, clientConfig.ClientSessionCache))
	})
}
