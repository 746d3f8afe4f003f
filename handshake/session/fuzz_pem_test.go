package session

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzUnmarshalPEM: the session files examples/client reads (-sess_in)
// either fail with ErrMalformed or hold a State that survives another
// MarshalPEM / UnmarshalPEM round trip unchanged.
func FuzzUnmarshalPEM(f *testing.F) {
	good, err := sampleState().MarshalPEM()
	require.NoError(f, err)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("-----BEGIN GLASSTLS SESSION-----\nAAE=\n-----END GLASSTLS SESSION-----\n"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAE=\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := UnmarshalPEM(data)
		if err != nil {
			assert.ErrorIs(t, err, ErrMalformed)
			return
		}
		again, err := s.MarshalPEM()
		require.NoError(t, err)
		s2, err := UnmarshalPEM(again)
		require.NoError(t, err)
		assert.Equal(t, s, s2)
	})
}
