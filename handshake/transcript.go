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
// are kept as bytes; hashing them then, at each point where the RFC needs
// Hash(handshake_messages), is cheap next to the public-key operations.
// Keeping the bytes also serves TLS 1.2's CertificateVerify, which signs
// the messages themselves with whatever hash the signature scheme names.
type transcript struct {
	messages []byte
	hash     crypto.Hash // the suite's PRF hash, set after ServerHello
}

func (t *transcript) add(msg []byte) { t.messages = append(t.messages, msg...) }

// sum returns Hash(handshake_messages) over everything added so far.
func (t *transcript) sum() []byte {
	return hashOf(t.hash, t.messages)
}

func hashOf(h crypto.Hash, data []byte) []byte {
	var hh hash.Hash = h.New()
	hh.Write(data)
	return hh.Sum(nil)
}
