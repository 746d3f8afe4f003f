package session

import (
	"context"
	"time"
)

// ServerCache is a server's session ID cache (RFC 5246, 7.4.1.2 and F.1.4):
// the sessions it remembers, by the session ID it gave in ServerHello.
// Implementations must be safe for concurrent use; a fleet of servers may
// share one (in Redis, say: examples/fleet) behind this interface.
//
// Every method gets the handshake's context. An in-memory cache ignores it;
// a cache across the network bounds its calls by it, so that a lookup never
// outlives the handshake that asked (HandshakeContext, Config.HandshakeTimeout).
// There is no error result on purpose: whatever goes wrong in a cache, the
// handshake does the same thing, a full handshake instead of a resumed one
// (RFC 5246, 7.3: "If a session ID match is not found, the server generates
// a new session ID, and the TLS client and server perform a full
// handshake."), so a cache answers "miss" and keeps its own failures
// (counting them, logging them) rather than hand them to every connection.
type ServerCache interface {
	// Get returns the session stored under sessionID, if any, and if it is
	// still within the cache's lifetime at now.
	Get(ctx context.Context, sessionID []byte, now time.Time) (*State, bool)
	// Put stores s under sessionID, replacing any older entry.
	Put(ctx context.Context, sessionID []byte, s *State)
	// Delete forgets sessionID.
	Delete(ctx context.Context, sessionID []byte)
}

// Defaults of the in-memory server cache.
//
// OpenSSL's default cache holds SSL_SESSION_CACHE_MAX_SIZE_DEFAULT = 20480
// sessions for 300 seconds (SSL_CTX_set_timeout); nginx has no cache unless
// told ("ssl_session_cache shared:SSL:10m" holds about 40000 sessions, one
// megabyte per ~4000), and keeps sessions 5 minutes (ssl_session_timeout).
// glasstls takes OpenSSL's entry bound: at roughly 200 bytes a session
// without client certificates, 20480 entries cost about 4 MB, which bounds
// the memory a flood of full handshakes can pin. It keeps sessions longer,
// two hours, the same as the ticket lifetime here (OpenSSL's ticket
// lifetime hint is its session timeout; crypto/tls keeps tickets 7 days):
// well inside the 24 hours RFC 5246, F.1.4 suggests as the upper limit,
// while five minutes throws away the saving for a client that comes back
// within the hour.
const (
	DefaultServerCacheSize = 20480
	DefaultLifetime        = 2 * time.Hour
)

// LRUServerCache is the default ServerCache: in memory, bounded in entries
// (the least recently used is evicted first), with entries that expire
// after a lifetime. Safe for concurrent use. Get returns a copy of what
// Put stored (CreatedAt the same instant, without a monotonic clock
// reading); session IDs longer than 32 bytes are not stored.
type LRUServerCache struct {
	lifetime time.Duration
	entries  *serverStore
}

// NewLRUServerCache returns a cache of at most size sessions, each kept at
// most lifetime after its full handshake. Zero or negative values take
// DefaultServerCacheSize and DefaultLifetime.
func NewLRUServerCache(size int, lifetime time.Duration) *LRUServerCache {
	if size <= 0 {
		size = DefaultServerCacheSize
	}
	if lifetime <= 0 {
		lifetime = DefaultLifetime
	}
	return &LRUServerCache{lifetime: lifetime, entries: newServerStore(size)}
}

// Get implements ServerCache. An expired entry is deleted on the way.
func (c *LRUServerCache) Get(_ context.Context, sessionID []byte, now time.Time) (*State, bool) {
	s, ok := c.entries.get(sessionID)
	if !ok {
		return nil, false
	}
	if !Fresh(s, now, c.lifetime) {
		c.entries.delete(sessionID)
		return nil, false
	}
	return s, true
}

// Put implements ServerCache.
func (c *LRUServerCache) Put(_ context.Context, sessionID []byte, s *State) {
	c.entries.put(sessionID, s)
}

// Delete implements ServerCache.
func (c *LRUServerCache) Delete(_ context.Context, sessionID []byte) {
	c.entries.delete(sessionID)
}

// Len returns how many sessions the cache holds (expired ones included
// until they are looked up or evicted).
func (c *LRUServerCache) Len() int { return c.entries.len() }

// maxClockSkew is how far in the future a session's creation time may be
// (another server of a fleet, its clock a little ahead) and still count.
const maxClockSkew = time.Minute

// Fresh reports whether s, created at s.CreatedAt, is still within lifetime
// at now. A session from the future (beyond a minute of clock skew) is not.
func Fresh(s *State, now time.Time, lifetime time.Duration) bool {
	age := now.Sub(s.CreatedAt)
	return age >= -maxClockSkew && age <= lifetime
}
