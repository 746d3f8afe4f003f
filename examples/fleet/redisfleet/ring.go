package redisfleet

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/handshake/session"
)

// TicketKey is one shared ticket key: the secret every member derives the
// key from (session.TicketKeys does the deriving) and when it was made.
type TicketKey struct {
	Secret  [session.TicketKeySize]byte
	Created time.Time
}

// Name is the key's public name, the first 16 bytes of every ticket it
// seals (RFC 5077, 4), in hex: what logs and the rotate command show.
func (k TicketKey) Name() string {
	name := session.TicketKeyName(k.Secret)
	return hex.EncodeToString(name[:])
}

// Ring is the fleet's ticket key ring, newest first: Ring[0] seals new
// tickets, the others only open tickets they sealed earlier.
type Ring []TicketKey

// maxClockSkew is how far the members' clocks may disagree (the same
// allowance package session makes for a session's creation time).
const maxClockSkew = time.Minute

// Retire drops the keys no live ticket can need: Ring[i] stopped sealing
// when Ring[i-1] was made, and its last ticket expires a lifetime after
// that. The sealing key always stays.
func (r Ring) Retire(now time.Time, lifetime time.Duration) Ring {
	for i := 1; i < len(r); i++ {
		if now.Sub(r[i-1].Created) > lifetime+maxClockSkew {
			return r[:i]
		}
	}
	return r
}

// Names lists the keys' names, newest first.
func (r Ring) Names() []string {
	names := make([]string, len(r))
	for i, k := range r {
		names[i] = k.Name()
	}
	return names
}

// ringVersion is the version of the ring's encoding.
const ringVersion uint16 = 1

// maxRingKeys bounds the ring: a rotation every hour with a week of
// ticket lifetime is 168 keys.
const maxRingKeys = 1024

// marshal encodes the ring (before it is sealed):
//
//	struct {
//	    opaque secret[32];
//	    uint64 created;              /* Unix seconds */
//	} RingKey;
//	struct {
//	    uint16  version;             /* ringVersion */
//	    RingKey keys<1..2^16-1>;     /* newest first */
//	} Ring;
func (r Ring) marshal() ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint16(ringVersion)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, k := range r {
			b.AddBytes(k.Secret[:])
			b.AddUint64(uint64(k.Created.Unix()))
		}
	})
	return b.Bytes()
}

func unmarshalRing(data []byte) (Ring, error) {
	s := cryptobyte.String(data)
	var (
		version uint16
		keys    cryptobyte.String
		ring    Ring
	)
	if !s.ReadUint16(&version) || version != ringVersion || !s.ReadUint16LengthPrefixed(&keys) || !s.Empty() {
		return nil, errors.New("redisfleet: malformed ticket key ring")
	}
	for !keys.Empty() {
		var (
			k       TicketKey
			secret  []byte
			created uint64
		)
		if !keys.ReadBytes(&secret, len(k.Secret)) || !keys.ReadUint64(&created) || created > 1<<62 {
			return nil, errors.New("redisfleet: malformed ticket key ring")
		}
		copy(k.Secret[:], secret)
		k.Created = time.Unix(int64(created), 0).UTC()
		ring = append(ring, k)
	}
	if len(ring) == 0 || len(ring) > maxRingKeys {
		return nil, errors.New("redisfleet: ticket key ring with no key or too many")
	}
	return ring, nil
}

// ringStore reads and writes the sealed ring under one Redis key.
type ringStore struct {
	client redis.UniversalClient
	box    *box
	key    string // "<prefix>ticketkeys"
}

func newRingStore(client redis.UniversalClient, fleetKey FleetKey, prefix string) (*ringStore, error) {
	b, err := newBox(fleetKey, purposeTicketRing)
	if err != nil {
		return nil, err
	}
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &ringStore{client: client, box: b, key: prefix + "ticketkeys"}, nil
}

// errNoRing says Redis has no ring yet (or lost it).
var errNoRing = errors.New("redisfleet: no ticket key ring in Redis")

// decode opens a sealed ring; the Redis key name is the additional data.
func (s *ringStore) decode(value []byte) (Ring, error) {
	plaintext, err := s.box.open(value, []byte(s.key))
	if err != nil {
		return nil, err
	}
	return unmarshalRing(plaintext)
}

func (s *ringStore) encode(rand io.Reader, ring Ring) ([]byte, error) {
	plaintext, err := ring.marshal()
	if err != nil {
		return nil, err
	}
	return s.box.seal(rand, plaintext, []byte(s.key))
}

// load reads the ring through c: the client, or a transaction's connection.
func (s *ringStore) load(ctx context.Context, c redis.Cmdable) (Ring, error) {
	value, err := c.Get(ctx, s.key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, errNoRing
	}
	if err != nil {
		return nil, err
	}
	return s.decode(value)
}

// create stores ring unless a ring is there already (SET NX: of members
// starting together, one ring wins and all adopt it).
func (s *ringStore) create(ctx context.Context, rand io.Reader, ring Ring) error {
	value, err := s.encode(rand, ring)
	if err != nil {
		return err
	}
	return s.client.SetNX(ctx, s.key, value, 0).Err()
}

// NewTicketKey makes a key from rand, created at now.
func NewTicketKey(rand io.Reader, now time.Time) (TicketKey, error) {
	k := TicketKey{Created: now.UTC().Truncate(time.Second)}
	_, err := io.ReadFull(rand, k.Secret[:])
	return k, err
}

// Rotate puts a new sealing key at the front of the fleet's ring in Redis
// and retires the keys older than lifetime allows (see Ring.Retire); it
// returns the new ring. Members pick it up at their next poll. Two
// rotations at once cannot lose each other's key: the update is a Redis
// transaction on the ring's key (WATCH, then MULTI/EXEC), retried if the
// ring changed under it.
func Rotate(ctx context.Context, client redis.UniversalClient, fleetKey FleetKey, opts Options) (Ring, error) {
	opts = opts.withDefaults()
	store, err := newRingStore(client, fleetKey, opts.Prefix)
	if err != nil {
		return nil, err
	}
	var ring Ring
	update := func(tx *redis.Tx) error {
		old, err := store.load(ctx, tx)
		if err != nil && !errors.Is(err, errNoRing) {
			return err
		}
		now := opts.Now()
		key, err := NewTicketKey(opts.Rand, now)
		if err != nil {
			return err
		}
		ring = append(Ring{key}, old...).Retire(now, opts.Lifetime)
		value, err := store.encode(opts.Rand, ring)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
			pipe.Set(ctx, store.key, value, 0)
			return nil
		})
		return err
	}
	for range 10 {
		err = client.Watch(ctx, update, store.key)
		if !errors.Is(err, redis.TxFailedErr) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("rotating the ticket key ring: %w", err)
	}
	return ring, nil
}

// LoadRing reads the fleet's ring from Redis, as the members see it.
func LoadRing(ctx context.Context, client redis.UniversalClient, fleetKey FleetKey, prefix string) (Ring, error) {
	store, err := newRingStore(client, fleetKey, prefix)
	if err != nil {
		return nil, err
	}
	return store.load(ctx, client)
}
