package session

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func sampleState() *State {
	return &State{
		Version:              0x0303,
		CipherSuite:          0xC02F,
		MasterSecret:         bytes.Repeat([]byte{0x42}, 48),
		ExtendedMasterSecret: true,
		ServerName:           "example.com",
		PeerCertificates:     [][]byte{{1, 2, 3}, {4, 5}},
		OCSPResponse:         []byte{0x30, 3, 1, 2, 3},
		CreatedAt:            t0,
		SessionID:            bytes.Repeat([]byte{7}, 32),
		Ticket:               []byte("opaque ticket"),
		TicketLifetimeHint:   7200,
		Verified:             true,
	}
}

func TestStateRoundTrip(t *testing.T) {
	full := sampleState()
	minimal := &State{Version: 0x0303, CipherSuite: 0x009C, MasterSecret: []byte{1}, CreatedAt: t0}
	psk := &State{Version: 0x0303, CipherSuite: 0x00A8, MasterSecret: []byte{1}, CreatedAt: t0, PSKIdentity: "client 1"}
	for name, s := range map[string]*State{"full": full, "minimal": minimal, "psk": psk} {
		t.Run(name, func(t *testing.T) {
			data, err := s.Marshal()
			require.NoError(t, err)
			got, err := Unmarshal(data)
			require.NoError(t, err)
			assert.Equal(t, s, got)

			pemData, err := s.MarshalPEM()
			require.NoError(t, err)
			assert.Contains(t, string(pemData), "-----BEGIN GLASSTLS SESSION-----")
			got, err = UnmarshalPEM(pemData)
			require.NoError(t, err)
			assert.Equal(t, s, got)
		})
	}
}

// TestStatePSKIdentityIsOptionalTrailer: a session without a PSK identity
// encodes exactly as before the field existed (old tickets and session
// files stay valid), one with an identity appends it, and an empty or
// damaged trailer is refused.
func TestStatePSKIdentityIsOptionalTrailer(t *testing.T) {
	plain := sampleState()
	plainData, err := plain.Marshal()
	require.NoError(t, err)
	assert.Equal(t, byte(1), plainData[len(plainData)-1], "ends with verified, as in the encoding without psk_identity")

	withPSK := sampleState()
	withPSK.PSKIdentity = "id"
	pskData, err := withPSK.Marshal()
	require.NoError(t, err)
	assert.Equal(t, append(append([]byte{}, plainData...), 0, 2, 'i', 'd'), pskData)

	for name, data := range map[string][]byte{
		"empty identity": append(append([]byte{}, plainData...), 0, 0),
		"short identity": append(append([]byte{}, plainData...), 0, 3, 'i', 'd'),
		"one stray byte": append(append([]byte{}, plainData...), 0),
		"bytes after it": append(append([]byte{}, pskData...), 0),
	} {
		_, err := Unmarshal(data)
		assert.ErrorIs(t, err, ErrMalformed, name)
	}
}

func TestStateMarshalRefuses(t *testing.T) {
	noSecret := sampleState()
	noSecret.MasterSecret = nil
	_, err := noSecret.Marshal()
	assert.Error(t, err)
	longID := sampleState()
	longID.SessionID = make([]byte, 33)
	_, err = longID.Marshal()
	assert.Error(t, err)
}

func TestUnmarshalRejects(t *testing.T) {
	good, err := sampleState().Marshal()
	require.NoError(t, err)
	otherVersion := bytes.Clone(good)
	otherVersion[1] = 1 // the encoding before ocsp_response
	badBool := bytes.Clone(good)
	badBool[6] = 2 // extended_master_secret byte
	badVerified := bytes.Clone(good)
	badVerified[len(badVerified)-1] = 2 // verified, the last byte
	tests := map[string][]byte{
		"empty":                  nil,
		"other encoding":         otherVersion,
		"EMS not a boolean":      badBool,
		"verified not a boolean": badVerified,
		"truncated":              good[:len(good)-1],
		"trailing byte":          append(bytes.Clone(good), 0),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Unmarshal(data)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
	_, err = UnmarshalPEM([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	assert.ErrorIs(t, err, ErrMalformed, "a PEM block of another type")
}

func id(i int) []byte { return []byte(fmt.Sprintf("session-%02d", i)) }

func TestLRUServerCache(t *testing.T) {
	c := NewLRUServerCache(3, time.Hour)
	for i := range 3 {
		c.Put(t.Context(), id(i), &State{CreatedAt: t0, CipherSuite: uint16(i)})
	}
	_, ok := c.Get(t.Context(), id(0), t0) // 0 is now the most recently used
	require.True(t, ok)
	c.Put(t.Context(), id(3), &State{CreatedAt: t0})
	assert.Equal(t, 3, c.Len(), "bounded")
	_, ok = c.Get(t.Context(), id(1), t0)
	assert.False(t, ok, "the least recently used entry went first")
	_, ok = c.Get(t.Context(), id(0), t0)
	assert.True(t, ok, "a recently used entry stays")

	c.Delete(t.Context(), id(0))
	_, ok = c.Get(t.Context(), id(0), t0)
	assert.False(t, ok, "deleted")

	_, ok = c.Get(t.Context(), id(2), t0.Add(time.Hour+time.Second))
	assert.False(t, ok, "expired")
	assert.Equal(t, 1, c.Len(), "an expired entry is dropped when looked up")
	_, ok = c.Get(t.Context(), id(3), t0.Add(-2*time.Minute))
	assert.False(t, ok, "a session from the future is refused")
}

func TestLRUServerCacheDefaults(t *testing.T) {
	c := NewLRUServerCache(0, 0)
	assert.Equal(t, DefaultLifetime, c.lifetime)
	assert.Equal(t, DefaultServerCacheSize, c.entries.capacity)
}

func TestLRUServerCacheConcurrent(t *testing.T) {
	c := NewLRUServerCache(50, time.Hour)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := id(g*1000 + i%100)
				c.Put(t.Context(), key, &State{CreatedAt: t0})
				c.Get(t.Context(), key, t0)
				if i%7 == 0 {
					c.Delete(t.Context(), key)
				}
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, c.Len(), 50)
}

func TestLRUClientCache(t *testing.T) {
	c := NewLRUClientCache(2)
	a, b, d := &State{CipherSuite: 1}, &State{CipherSuite: 2}, &State{CipherSuite: 3}
	c.Put("a", a)
	c.Put("b", b)
	c.Get("a")
	c.Put("d", d)
	_, ok := c.Get("b")
	assert.False(t, ok, "least recently used evicted")
	got, ok := c.Get("a")
	assert.True(t, ok)
	assert.Same(t, a, got)
	c.Put("a", nil)
	_, ok = c.Get("a")
	assert.False(t, ok, "Put(nil) deletes")
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, DefaultClientCacheSize, NewLRUClientCache(0).entries.capacity)
}

func serverState() *State {
	s := sampleState()
	s.SessionID, s.Ticket, s.TicketLifetimeHint = nil, nil, 0
	return s
}

func TestTicketSealOpen(t *testing.T) {
	keys := NewTicketKeys(time.Hour, 2*time.Hour)
	ticket, err := keys.Seal(rand.Reader, t0, sampleState())
	require.NoError(t, err)
	got, ok := keys.Open(t0.Add(time.Minute), ticket)
	require.True(t, ok)
	assert.Equal(t, serverState(), got, "the client-only fields are not sealed")

	other, err := keys.Seal(rand.Reader, t0, sampleState())
	require.NoError(t, err)
	assert.NotEqual(t, ticket, other, "a fresh nonce per ticket")
	assert.Equal(t, ticket[:16], other[:16], "same key name")

	t.Run("tampered anywhere", func(t *testing.T) {
		for _, i := range []int{0, 15, 16, 27, 28, len(ticket) / 2, len(ticket) - 1} {
			tampered := bytes.Clone(ticket)
			tampered[i] ^= 0x80
			_, ok := keys.Open(t0, tampered)
			assert.False(t, ok, "byte %d flipped", i)
		}
		_, ok := keys.Open(t0, ticket[:len(ticket)-1])
		assert.False(t, ok, "truncated")
		_, ok = keys.Open(t0, nil)
		assert.False(t, ok, "empty")
	})
	t.Run("other keys", func(t *testing.T) {
		_, ok := NewTicketKeys(0, 0).Open(t0, ticket)
		assert.False(t, ok)
	})
	t.Run("expired", func(t *testing.T) {
		_, ok := keys.Open(t0.Add(2*time.Hour+time.Second), ticket)
		assert.False(t, ok)
	})
}

func TestTicketKeyRotation(t *testing.T) {
	keys := NewTicketKeys(time.Hour, 2*time.Hour)
	old, err := keys.Seal(rand.Reader, t0, &State{Version: 0x0303, MasterSecret: []byte{1}, CreatedAt: t0})
	require.NoError(t, err)

	// An hour and a half later a new key seals; the old one still opens.
	later := t0.Add(90 * time.Minute)
	fresh, err := keys.Seal(rand.Reader, later, &State{Version: 0x0303, MasterSecret: []byte{1}, CreatedAt: later})
	require.NoError(t, err)
	assert.NotEqual(t, old[:16], fresh[:16], "rotated: another key name")
	_, ok := keys.Open(later, old)
	assert.True(t, ok, "the retired key still opens its tickets")
	assert.Len(t, keys.keys, 2)

	// Once the old key's last possible ticket has expired, the key goes.
	muchLater := later.Add(2*time.Hour + 2*time.Minute)
	_, err = keys.Seal(rand.Reader, muchLater, &State{Version: 0x0303, MasterSecret: []byte{1}, CreatedAt: muchLater})
	require.NoError(t, err)
	for _, k := range keys.keys {
		assert.NotEqual(t, old[:16], k.name[:], "the first key is forgotten")
	}
}

func TestTicketSetKeysForAFleet(t *testing.T) {
	var a, b [TicketKeySize]byte
	a[0], b[0] = 'a', 'b'
	serverA, serverB := NewTicketKeys(0, 0), NewTicketKeys(0, 0)
	require.NoError(t, serverA.SetKeys([][TicketKeySize]byte{a}, t0))
	require.NoError(t, serverB.SetKeys([][TicketKeySize]byte{b, a}, t0)) // b seals, a opens only
	assert.Error(t, serverA.SetKeys(nil, t0))

	fromA, err := serverA.Seal(rand.Reader, t0, serverState())
	require.NoError(t, err)
	_, ok := serverB.Open(t0, fromA)
	assert.True(t, ok, "B opens A's ticket with the shared key")

	fromB, err := serverB.Seal(rand.Reader, t0.Add(48*time.Hour), serverState())
	require.NoError(t, err)
	nameA, nameB := TicketKeyName(a), TicketKeyName(b)
	assert.Equal(t, nameA[:], fromA[:16], "a ticket starts with its key's name")
	assert.Equal(t, nameB[:], fromB[:16], "the first key seals")
	_, ok = serverA.Open(t0, fromB)
	assert.False(t, ok, "A does not have B's new key")
	_, ok = serverB.Open(t0, fromB)
	assert.True(t, ok)
	assert.Len(t, serverB.keys, 2, "fixed keys do not rotate")
}
