package session

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzUnmarshal: any bytes either fail with ErrMalformed or decode to a
// State that encodes back to the same bytes (the encoding is canonical).
func FuzzUnmarshal(f *testing.F) {
	good, err := sampleState().Marshal()
	require.NoError(f, err)
	f.Add(good)
	f.Add([]byte{0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Unmarshal(data)
		if err != nil {
			assert.ErrorIs(t, err, ErrMalformed)
			return
		}
		again, err := s.Marshal()
		require.NoError(t, err)
		assert.Equal(t, data, again)
	})
}

// FuzzTicketOpen: no ticket a client makes up opens (or panics).
func FuzzTicketOpen(f *testing.F) {
	keys := NewTicketKeys(0, 0)
	ticket, err := keys.Seal(rand.Reader, t0, serverState())
	require.NoError(f, err)
	f.Add(ticket[:len(ticket)-1])
	f.Add(append(ticket[:16:16], make([]byte, 40)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ok := keys.Open(t0, data)
		assert.False(t, ok)
	})
}
