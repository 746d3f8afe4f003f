package redisfleet

import (
	"bytes"
	"crypto/rand"
	"errors"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func testKey(b byte) FleetKey {
	var k FleetKey
	for i := range k {
		k[i] = b
	}
	return k
}

func TestParseFleetKey(t *testing.T) {
	key, err := ParseFleetKey([]byte(strings.Repeat("ab", 32) + "\n"))
	require.NoError(t, err)
	assert.Equal(t, testKey(0xab), key)
	_, err = ParseFleetKey([]byte(strings.Repeat("ab", 31)))
	assert.ErrorContains(t, err, "want 64 hex digits")
	_, err = ParseFleetKey([]byte(strings.Repeat("zz", 32)))
	assert.Error(t, err)
}

// A sealed value opens only with the same fleet key, the same purpose and
// the same additional data, and not after any byte changed.
func TestBoxBindsKeyPurposeAndName(t *testing.T) {
	sessions, err := newBox(testKey(1), purposeSessions)
	require.NoError(t, err)
	value, err := sessions.seal(rand.Reader, []byte("master secret inside"), []byte("id-1"))
	require.NoError(t, err)
	assert.False(t, bytes.Contains(value, []byte("master secret inside")))

	got, err := sessions.open(value, []byte("id-1"))
	require.NoError(t, err)
	assert.Equal(t, []byte("master secret inside"), got)

	_, err = sessions.open(value, []byte("id-2"))
	assert.ErrorIs(t, err, errUnsealed, "copied under another name")
	ring, err := newBox(testKey(1), purposeTicketRing)
	require.NoError(t, err)
	_, err = ring.open(value, []byte("id-1"))
	assert.ErrorIs(t, err, errUnsealed, "opened as the other kind of value")
	otherFleet, err := newBox(testKey(2), purposeSessions)
	require.NoError(t, err)
	_, err = otherFleet.open(value, []byte("id-1"))
	assert.ErrorIs(t, err, errUnsealed, "another fleet's key")
	for i := range value {
		changed := bytes.Clone(value)
		changed[i] ^= 1
		_, err = sessions.open(changed, []byte("id-1"))
		assert.ErrorIs(t, err, errUnsealed, "byte %d changed", i)
	}
	_, err = sessions.open(value[:10], []byte("id-1"))
	assert.ErrorIs(t, err, errUnsealed, "truncated")
}

func key(b byte, created time.Time) TicketKey {
	k := TicketKey{Created: created}
	k.Secret[0] = b
	return k
}

func TestRingRetire(t *testing.T) {
	lifetime := 2 * time.Hour
	ring := Ring{key(3, t0), key(2, t0.Add(-time.Hour)), key(1, t0.Add(-5*time.Hour))}
	assert.Len(t, ring.Retire(t0, lifetime), 3, "key 2 stopped sealing just now; key 1 an hour ago")
	assert.Len(t, ring.Retire(t0.Add(time.Hour+2*time.Minute), lifetime), 2,
		"a lifetime (and the clock skew) after key 2 took over, key 1's tickets have all expired")
	assert.Len(t, ring.Retire(t0.Add(lifetime+2*time.Minute), lifetime), 1, "and then key 2's")
	assert.Len(t, ring[:1].Retire(t0.Add(100*lifetime), lifetime), 1, "the sealing key always stays")
}

func TestRingEncoding(t *testing.T) {
	ring := Ring{key(2, t0), key(1, t0.Add(-time.Hour))}
	data, err := ring.marshal()
	require.NoError(t, err)
	got, err := unmarshalRing(data)
	require.NoError(t, err)
	assert.Equal(t, ring, got)
	assert.Equal(t, []string{ring[0].Name(), ring[1].Name()}, got.Names())
	name := session.TicketKeyName(ring[0].Secret)
	assert.Len(t, ring[0].Name(), 2*len(name))

	for n := range len(data) {
		_, err := unmarshalRing(data[:n])
		assert.Error(t, err, "truncated to %d bytes", n)
	}
	_, err = unmarshalRing(append(bytes.Clone(data), 0))
	assert.Error(t, err, "trailing byte")
	empty, err := Ring{}.marshal()
	require.NoError(t, err)
	_, err = unmarshalRing(empty)
	assert.Error(t, err, "a ring with no key")
}

// clock is a settable Now.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// Failures are logged at most once per interval, whatever their number;
// three in a row send callers away for the backoff; a success ends it,
// with a line.
func TestFailuresLogOncePerInterval(t *testing.T) {
	var logs bytes.Buffer
	c := &clock{now: t0}
	f := newFailures("test", log.New(&logs, "", 0), 10*time.Second, time.Second, c.Now)
	boom := errors.New("boom")

	f.failed(boom)
	assert.False(t, f.skip(), "one failure does not trip the backoff")
	for range 99 {
		f.failed(boom)
	}
	assert.Equal(t, 1, strings.Count(logs.String(), "\n"), logs.String())
	assert.Contains(t, logs.String(), "test: 1 Redis failure(s) since the last report, latest: boom")
	assert.True(t, f.skip(), "failures in a row: stay away")
	c.now = c.now.Add(1100 * time.Millisecond)
	assert.False(t, f.skip(), "the backoff is over: try again")

	c.now = t0.Add(11 * time.Second)
	f.failed(boom)
	assert.Contains(t, logs.String(), "test: 100 Redis failure(s) since the last report")
	assert.Equal(t, uint64(101), f.count())

	f.succeeded()
	assert.Contains(t, logs.String(), "test: Redis answers again (0 failure(s) since the last report")
	assert.False(t, f.skip())
	f.succeeded()
	assert.Equal(t, 3, strings.Count(logs.String(), "\n"), "one line per report:\n%s", logs.String())
	f.failed(boom)
	assert.False(t, f.skip(), "the run starts again from one")
}
