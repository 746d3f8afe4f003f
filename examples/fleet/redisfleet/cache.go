package redisfleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glasstls/glasstls/handshake/session"
)

// Defaults of a SessionCache.
const (
	// DefaultPrefix starts every key the fleet writes, so that it can
	// share a Redis with other users (and tests can share one Redis).
	DefaultPrefix = "glasstls:"
	// DefaultTimeout bounds each Redis call made during a handshake: on
	// loopback or in one data centre a call takes well under a
	// millisecond, so 50 ms is a Redis in trouble, and waiting longer costs
	// more than the full handshake the wait was meant to save.
	DefaultTimeout = 50 * time.Millisecond
	// DefaultLogInterval is the most often a run of failures is logged.
	DefaultLogInterval = 10 * time.Second
	// DefaultBackoff is how long after a failure the cache leaves Redis
	// alone and answers "miss" at once.
	DefaultBackoff = time.Second
)

// Options tune a SessionCache (and a TicketRing); zero values take the
// defaults above.
type Options struct {
	Prefix      string        // DefaultPrefix
	Lifetime    time.Duration // how long a session resumes: session.DefaultLifetime
	Timeout     time.Duration // per Redis call: DefaultTimeout
	LogInterval time.Duration // DefaultLogInterval
	Backoff     time.Duration // DefaultBackoff
	Logger      *log.Logger   // log.Default()
	Rand        io.Reader     // crypto/rand.Reader
	Now         func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Lifetime <= 0 {
		o.Lifetime = session.DefaultLifetime
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.LogInterval <= 0 {
		o.LogInterval = DefaultLogInterval
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.Logger == nil {
		o.Logger = log.Default()
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// SessionCache is a session.ServerCache in Redis, shared by every member
// of a fleet: a session made on one member resumes by its session ID on
// any other (RFC 5246, 7.4.1.2).
//
// Each session lives under "<prefix>sess:<hex session ID>" with a TTL of
// the session lifetime. The value is the session's own encoding
// (session.State.Marshal), sealed with a key derived from the fleet key
// (AES-256-GCM, the session ID as additional data): Redis holds no master
// secret in the clear, and a value copied under another ID does not open.
//
// Every call is bounded by the handshake's context and by Options.Timeout.
// A timeout, an error or a value that does not open is a miss, so the
// handshake goes on as a full one: a Redis outage costs speed, never a
// connection. Failures are counted (Stats) and logged at most once per
// Options.LogInterval.
type SessionCache struct {
	client   redis.UniversalClient
	box      *box
	opts     Options
	failures *failures

	hits, misses atomic.Uint64
	slowest      atomic.Int64 // nanoseconds: the longest Redis call so far
}

var _ session.ServerCache = (*SessionCache)(nil)

// NewSessionCache returns a cache in the Redis that client reaches.
func NewSessionCache(client redis.UniversalClient, key FleetKey, opts Options) (*SessionCache, error) {
	opts = opts.withDefaults()
	b, err := newBox(key, purposeSessions)
	if err != nil {
		return nil, err
	}
	return &SessionCache{client: client, box: b, opts: opts,
		failures: newFailures("fleet: session cache", opts.Logger, opts.LogInterval, opts.Backoff, opts.Now)}, nil
}

// Key is the Redis key of a session ID.
func (c *SessionCache) Key(sessionID []byte) string {
	return c.opts.Prefix + "sess:" + hex.EncodeToString(sessionID)
}

// Get implements session.ServerCache.
func (c *SessionCache) Get(ctx context.Context, sessionID []byte, now time.Time) (*session.State, bool) {
	s, ok := c.get(ctx, sessionID, now)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return s, ok
}

func (c *SessionCache) get(ctx context.Context, sessionID []byte, now time.Time) (*session.State, bool) {
	if c.failures.skip() {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	defer c.timeCall(time.Now())
	value, err := c.client.Get(ctx, c.Key(sessionID)).Bytes()
	if errors.Is(err, redis.Nil) {
		c.failures.succeeded()
		return nil, false // not there (or expired): an ordinary miss
	}
	if err != nil {
		c.failures.failed(err)
		return nil, false
	}
	c.failures.succeeded()
	plaintext, err := c.box.open(value, sessionID)
	if err != nil {
		c.failures.failed(err) // a different fleet key, or tampering: worth a log line
		return nil, false
	}
	s, err := session.Unmarshal(plaintext)
	if err != nil || !session.Fresh(s, now, c.opts.Lifetime) {
		return nil, false
	}
	return s, true
}

// Put implements session.ServerCache.
func (c *SessionCache) Put(ctx context.Context, sessionID []byte, s *session.State) {
	if c.failures.skip() {
		return
	}
	plaintext, err := s.Marshal()
	if err != nil {
		return
	}
	value, err := c.box.seal(c.opts.Rand, plaintext, sessionID)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	defer c.timeCall(time.Now())
	// Put comes right after a full handshake: its session is new, so it
	// has the whole lifetime ahead of it, and Redis forgets it after that.
	if err := c.client.Set(ctx, c.Key(sessionID), value, c.opts.Lifetime).Err(); err != nil {
		c.failures.failed(err)
		return
	}
	c.failures.succeeded()
}

// Delete implements session.ServerCache. It is tried even during a
// backoff: it is rare (a connection that failed after its session was
// stored), and a session that should be gone is worth a timeout.
func (c *SessionCache) Delete(ctx context.Context, sessionID []byte) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	defer c.timeCall(time.Now())
	if err := c.client.Del(ctx, c.Key(sessionID)).Err(); err != nil {
		c.failures.failed(err)
		return
	}
	c.failures.succeeded()
}

// timeCall keeps the longest call's duration.
func (c *SessionCache) timeCall(start time.Time) {
	took := int64(c.opts.Now().Sub(start))
	for {
		longest := c.slowest.Load()
		if took <= longest || c.slowest.CompareAndSwap(longest, took) {
			return
		}
	}
}

// CacheStats counts a SessionCache's lookups.
type CacheStats struct {
	Hits, Misses uint64        // Get calls that found a session, and those that did not
	Failures     uint64        // Redis calls that failed or timed out, and values that did not open
	SlowestCall  time.Duration // the longest a Redis call has taken: at most about Options.Timeout
}

// Stats returns the counts so far.
func (c *SessionCache) Stats() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Failures: c.failures.count(),
		SlowestCall: time.Duration(c.slowest.Load())}
}
