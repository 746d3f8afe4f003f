package handshake

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfigSharesParsedCertificates: two connections of one Config (or of
// its clone) see the same parsed server certificate, one of another Config
// its own, and
// chains are still checked (see the x509 handshake tests for every
// failure).
func TestConfigSharesParsedCertificates(t *testing.T) {
	p := loadTestPKI(t)
	serverConfig := p.serverConfig()
	clientConfig := p.clientConfig()
	first, _, err1, err2 := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, err1)
	require.NoError(t, err2)
	second, _, err1, err2 := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, err1)
	require.NoError(t, err2)
	other, _, err1, err2 := handshakePair(t, p.clientConfig(), serverConfig)
	require.NoError(t, err1)
	require.NoError(t, err2)

	// A clone made before its original was ever used shares with it too.
	original := p.clientConfig()
	fromClone, _, err1, err2 := handshakePair(t, original.Clone(), serverConfig)
	require.NoError(t, err1)
	require.NoError(t, err2)
	fromOriginal, _, err1, err2 := handshakePair(t, original, serverConfig)
	require.NoError(t, err1)
	require.NoError(t, err2)
	assert.Same(t, fromOriginal.ConnectionState().PeerCertificates[0], fromClone.ConnectionState().PeerCertificates[0], "clone and original share")

	leaf := first.ConnectionState().PeerCertificates[0]
	assert.Same(t, leaf, second.ConnectionState().PeerCertificates[0], "same Config: parsed once")
	assert.NotSame(t, leaf, other.ConnectionState().PeerCertificates[0], "another Config: its own copy")
	assert.Equal(t, leaf.Raw, other.ConnectionState().PeerCertificates[0].Raw)
}

// TestCertificateCacheForgetsCollected: the cache holds certificates only
// while someone else does, so it cannot grow with the number of servers a
// long-lived client ever met; and what does not parse is not cached.
func TestCertificateCacheForgetsCollected(t *testing.T) {
	p := loadTestPKI(t)
	der := p.rsa.Certificate[0]
	var cc certificateCache

	_, err := cc.parse([]byte("not a certificate"))
	require.Error(t, err)
	assert.Empty(t, cc.entries)

	cert, err := cc.parse(der)
	require.NoError(t, err)
	again, err := cc.parse(der)
	require.NoError(t, err)
	require.Same(t, cert, again)
	cert, again = nil, nil

	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		cc.mu.Lock()
		n := len(cc.entries)
		cc.mu.Unlock()
		if n == 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "entry still cached after its certificate was collected")
		time.Sleep(10 * time.Millisecond)
	}
}
