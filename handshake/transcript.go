package handshake

import (
	"crypto"
	"hash"
)

// transcript collects every handshake message sent and received, in order,
// headers included, but not HelloRequest (RFC 5246, 7.4.1.1) nor
// ChangeCipherSpec, which is not a handshake message.
//
// The hash is only known once ServerHello names the suite, so the messages
// are kept as bytes. Keeping the bytes also serves TLS 1.2's
// CertificateVerify, which signs the messages themselves with whatever hash
// the signature scheme names.
type transcript struct {
	messages []byte
	hash     crypto.Hash // the suite's PRF hash, set after ServerHello

	// Performance: sum is needed three or four times per handshake (the
	// extended master secret's session hash, then each Finished). Rather
	// than hash every message again each time, running keeps a hash of
	// messages[:hashed] and sum feeds it only what came since. It changes
	// nothing a reader needs: sum is still Hash(all messages so far).
	running     hash.Hash
	runningHash crypto.Hash // which hash running is
	hashed      int
}

func (t *transcript) add(msg []byte) {
	if t.messages == nil {
		// Performance: one allocation holds a typical full handshake's
		// messages instead of growing through several.
		t.messages = make([]byte, 0, transcriptSizeHint)
	}
	t.messages = append(t.messages, msg...)
}

// transcriptSizeHint fits a full handshake with a short certificate chain.
const transcriptSizeHint = 2048

// sum returns Hash(handshake_messages) over everything added so far.
func (t *transcript) sum() []byte {
	if t.running == nil || t.runningHash != t.hash {
		t.running, t.runningHash, t.hashed = t.hash.New(), t.hash, 0
	}
	t.running.Write(t.messages[t.hashed:])
	t.hashed = len(t.messages)
	return t.running.Sum(nil) // Sum leaves the running state as it was
}
