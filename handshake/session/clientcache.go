package session

// ClientCache is a client's memory of sessions, one per server, keyed by
// the server's name (or its address when there is no name). Implementations
// must be safe for concurrent use.
type ClientCache interface {
	// Get returns the session stored for key, if any.
	Get(key string) (*State, bool)
	// Put stores s for key; a nil s deletes the entry (the client does this
	// when the server refused to resume it).
	Put(key string, s *State)
}

// DefaultClientCacheSize is the size NewLRUClientCache uses for 0: as many
// servers as crypto/tls's default client cache remembers (64).
const DefaultClientCacheSize = 64

// LRUClientCache is an in-memory ClientCache bounded in entries, evicting
// the least recently used first. Safe for concurrent use.
type LRUClientCache struct {
	entries *lru[*State]
}

// NewLRUClientCache returns a cache of at most size sessions
// (DefaultClientCacheSize if size <= 0).
func NewLRUClientCache(size int) *LRUClientCache {
	if size <= 0 {
		size = DefaultClientCacheSize
	}
	return &LRUClientCache{entries: newLRU[*State](size)}
}

// Get implements ClientCache.
func (c *LRUClientCache) Get(key string) (*State, bool) { return c.entries.get(key) }

// Put implements ClientCache.
func (c *LRUClientCache) Put(key string, s *State) {
	if s == nil {
		c.entries.delete(key)
		return
	}
	c.entries.put(key, s)
}

// Len returns how many sessions the cache holds.
func (c *LRUClientCache) Len() int { return c.entries.len() }
