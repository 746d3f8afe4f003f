package handshake

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"testing"

	"github.com/stretchr/testify/assert"
)

// sum must always equal Hash(all messages so far), however adds and sums
// interleave: the running hash is an optimisation, not a different value.
func TestTranscriptSumIsHashOfEverything(t *testing.T) {
	var tr transcript
	tr.add([]byte("ClientHello"))
	tr.add([]byte("ServerHello"))
	tr.hash = crypto.SHA256
	want := sha256.Sum256([]byte("ClientHelloServerHello"))
	assert.Equal(t, want[:], tr.sum())
	assert.Equal(t, want[:], tr.sum(), "a second sum with nothing new")

	tr.add([]byte("ClientKeyExchange"))
	want = sha256.Sum256([]byte("ClientHelloServerHelloClientKeyExchange"))
	assert.Equal(t, want[:], tr.sum())

	// A different hash starts again from the first message.
	tr.hash = crypto.SHA384
	want384 := sha512.Sum384([]byte("ClientHelloServerHelloClientKeyExchange"))
	assert.Equal(t, want384[:], tr.sum())
}
