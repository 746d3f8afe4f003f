package handshake

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

// ctxRecordingCache is an in-memory ServerCache that notes, for each call,
// what the handshake's context carried: a cache across the network (Redis,
// examples/fleet) bounds its calls by exactly this.
type ctxRecordingCache struct {
	*session.LRUServerCache
	mu    sync.Mutex
	calls []string // "Get value=... deadline=true"
}

type ctxKey struct{}

func (c *ctxRecordingCache) note(op string, ctx context.Context) {
	_, hasDeadline := ctx.Deadline()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, op+" value="+ctxValue(ctx)+" deadline="+map[bool]string{true: "yes", false: "no"}[hasDeadline])
}

func ctxValue(ctx context.Context) string {
	v, _ := ctx.Value(ctxKey{}).(string)
	return v
}

func (c *ctxRecordingCache) Get(ctx context.Context, id []byte, now time.Time) (*session.State, bool) {
	c.note("Get", ctx)
	return c.LRUServerCache.Get(ctx, id, now)
}

func (c *ctxRecordingCache) Put(ctx context.Context, id []byte, s *session.State) {
	c.note("Put", ctx)
	c.LRUServerCache.Put(ctx, id, s)
}

func (c *ctxRecordingCache) Delete(ctx context.Context, id []byte) {
	c.note("Delete", ctx)
	c.LRUServerCache.Delete(ctx, id)
}

// The server hands its HandshakeContext, bounded by HandshakeTimeout, to
// the session cache: on the full handshake's Put and the next one's Get.
func TestServerCacheGetsTheHandshakeContext(t *testing.T) {
	pki := loadTestPKI(t)
	cache := &ctxRecordingCache{LRUServerCache: session.NewLRUServerCache(0, 0)}
	serverConfig := pki.serverConfig()
	serverConfig.SessionCache = cache
	serverConfig.SessionTicketsDisabled = true
	serverConfig.HandshakeTimeout = time.Minute
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)

	for range 2 {
		clientRaw, serverRaw := tcpPair(t)
		client, server := Client(clientRaw, clientConfig), Server(serverRaw, serverConfig)
		ctx := context.WithValue(t.Context(), ctxKey{}, "the server's")
		errs := make(chan error, 1)
		go func() { errs <- server.HandshakeContext(ctx) }()
		require.NoError(t, client.Handshake())
		require.NoError(t, <-errs)
		client.Close()
		server.Close()
	}
	assert.Equal(t, []string{
		"Put value=the server's deadline=yes", // the full handshake keeps its session
		"Get value=the server's deadline=yes", // the second finds it
	}, cache.calls)
}
