package redisfleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glasstls/glasstls/handshake/session"
)

// DefaultPoll is how often a member reads the ring: a rotation reaches
// every member within about this long.
const DefaultPoll = time.Second

// defaultRingTimeout bounds each read or write of the ring. It is not on
// any handshake's path, so it can afford more than a session lookup.
const defaultRingTimeout = time.Second

// TicketKeySetter is what a TicketSync installs keys into:
// handshake.Config.SetTicketKeys.
type TicketKeySetter func(secrets [][session.TicketKeySize]byte) error

// TicketSync keeps one member's ticket keys equal to the fleet's ring in
// Redis, so that a ticket sealed by any member opens on every other
// (RFC 5077, 4 leaves the key management to the servers; this is one).
//
// It reads the ring at start and every Poll after. If Redis has no ring,
// it writes one (SET NX: the first member wins, the rest adopt it). If
// Redis cannot be reached at start, the member seals with a local random
// key and says so; when Redis answers it adopts the ring, keeping its
// local key for opening until the tickets it sealed have expired. If Redis
// goes away later, the member keeps the keys it has. If Redis comes back
// empty (a restart without persistence), the first member to notice writes
// back the ring it holds.
type TicketSync struct {
	store    *ringStore
	set      TicketKeySetter
	opts     Options
	poll     time.Duration
	failures *failures
	done     chan struct{} // closed when polling has stopped

	mu        sync.Mutex
	ring      Ring       // the fleet's, as last read; nil until read once
	local     *TicketKey // the key made while Redis was away, if any
	localTill time.Time  // when the local key's last ticket expires (zero: still sealing)
	installed []string   // names of the keys handed to set, sealing key first
}

// StartTicketSync reads (or creates) the ring, installs its keys with set,
// and polls every poll (DefaultPoll if <= 0) until ctx ends. Its error is
// only for what no retry can mend (a setter that refuses keys); Redis
// being unreachable is not an error.
func StartTicketSync(ctx context.Context, client redis.UniversalClient, fleetKey FleetKey, set TicketKeySetter, poll time.Duration, opts Options) (*TicketSync, error) {
	opts = opts.withDefaults()
	if poll <= 0 {
		poll = DefaultPoll
	}
	store, err := newRingStore(client, fleetKey, opts.Prefix)
	if err != nil {
		return nil, err
	}
	s := &TicketSync{store: store, set: set, opts: opts, poll: poll,
		failures: newFailures("fleet: ticket keys", opts.Logger, opts.LogInterval, 0, opts.Now),
		done:     make(chan struct{})}
	if err := s.Sync(ctx); err != nil {
		s.opts.Logger.Printf("fleet: ticket keys: cannot read the ring from Redis (%v): sealing tickets with a local random key; they resume on this member only until Redis is back", err)
		key, err := NewTicketKey(opts.Rand, opts.Now())
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.local = &key
		err = s.installLocked()
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
	go s.loop(ctx)
	return s, nil
}

func (s *TicketSync) loop(ctx context.Context) {
	defer close(s.done)
	ticker := time.NewTicker(s.poll)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			_ = s.Sync(ctx) // failures are counted and logged by Sync
		}
	}
}

// Done is closed once polling has stopped (after StartTicketSync's ctx
// ended): a caller may then close the Redis client.
func (s *TicketSync) Done() <-chan struct{} { return s.done }

// Sync reads the ring once and installs what changed. Polling calls it;
// tests and the rotate command's callers may too.
func (s *TicketSync) Sync(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, defaultRingTimeout)
	defer cancel()
	ring, err := s.store.load(ctx, s.store.client)
	if errors.Is(err, errNoRing) {
		err = s.seed(ctx)
		if err == nil {
			ring, err = s.store.load(ctx, s.store.client)
		}
	}
	if err != nil {
		s.failures.failed(err)
		return err
	}
	s.failures.succeeded()

	s.mu.Lock()
	defer s.mu.Unlock()
	// A ring whose sealing key is older than the one we adopted is a step
	// back: someone who can write to Redis (but has no fleet key) put an
	// old sealed ring back, to bring a retired key into service again.
	// Rotations only ever add newer keys, and a member re-seeding an empty
	// Redis writes the ring it holds, so a real ring never goes back.
	if len(s.ring) > 0 && ring[0].Created.Before(s.ring[0].Created) {
		err := fmt.Errorf("ring in Redis seals with %s, created %s, older than %s in use: refused", ring[0].Name(), ring[0].Created.Format(time.RFC3339), s.ring[0].Name())
		s.failures.failed(err)
		return err
	}
	if s.local != nil && s.localTill.IsZero() && !slices.ContainsFunc(ring, func(k TicketKey) bool { return k.Secret == s.local.Secret }) {
		// The local key stops sealing now; its tickets live a lifetime more.
		s.localTill = s.opts.Now().Add(s.opts.Lifetime + maxClockSkew)
		s.opts.Logger.Printf("fleet: ticket keys: Redis answers; the fleet's ring replaces the local key %s", s.local.Name())
	}
	s.ring = ring
	return s.installLocked()
}

// seed writes a ring where there is none: the keys this member holds (so
// that its tickets, and the fleet's, go on opening after Redis lost its
// data), or a new key if it holds none.
func (s *TicketSync) seed(ctx context.Context) error {
	s.mu.Lock()
	ring := slices.Clone(s.ring)
	if s.local != nil && s.localTill.IsZero() {
		ring = Ring{*s.local}
	}
	s.mu.Unlock()
	if len(ring) == 0 {
		key, err := NewTicketKey(s.opts.Rand, s.opts.Now())
		if err != nil {
			return err
		}
		ring = Ring{key}
	}
	return s.store.create(ctx, s.opts.Rand, ring)
}

// installLocked hands set the keys in force now: the ring's unretired
// keys, and the local key while it may still have live tickets. It calls
// set only when the set of keys changed.
func (s *TicketSync) installLocked() error {
	now := s.opts.Now()
	keys := s.ring.Retire(now, s.opts.Lifetime)
	if s.local != nil {
		switch {
		case len(keys) == 0:
			keys = Ring{*s.local} // Redis has not answered yet: the local key seals
		case now.Before(s.localTill) && !slices.ContainsFunc(keys, func(k TicketKey) bool { return k.Secret == s.local.Secret }):
			keys = append(slices.Clone(keys), *s.local) // opens only
		}
	}
	names := keys.Names()
	if slices.Equal(names, s.installed) {
		return nil
	}
	secrets := make([][session.TicketKeySize]byte, len(keys))
	for i, k := range keys {
		secrets[i] = k.Secret
	}
	if err := s.set(secrets); err != nil {
		return err
	}
	sealingChanged := len(s.installed) == 0 || s.installed[0] != names[0]
	s.installed = names
	if sealingChanged {
		s.opts.Logger.Printf("fleet: ticket keys: sealing with %s; opening with %d key(s): %s", names[0], len(names), strings.Join(names, " "))
	}
	return nil
}

// Sealing is the name of the key this member seals new tickets with.
func (s *TicketSync) Sealing() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.installed) == 0 {
		return ""
	}
	return s.installed[0]
}

// Installed lists the names of the keys this member opens tickets with,
// the sealing key first.
func (s *TicketSync) Installed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.installed)
}
