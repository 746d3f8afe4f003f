package prf

import (
	"crypto"
	"crypto/hmac"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // registers SHA-384
	"fmt"
)

// Labels fixed by the RFCs. They are ASCII strings without a trailing NUL.
const (
	LabelMasterSecret         = "master secret"          // RFC 5246, 8.1
	LabelExtendedMasterSecret = "extended master secret" // RFC 7627, 4
	LabelKeyExpansion         = "key expansion"          // RFC 5246, 6.3
	LabelClientFinished       = "client finished"        // RFC 5246, 7.4.9
	LabelServerFinished       = "server finished"        // RFC 5246, 7.4.9
)

// Lengths fixed by the RFCs.
const (
	MasterSecretLen = 48 // RFC 5246, 8.1: master_secret is always 48 bytes
	// RFC 5246, 7.4.9: "verify_data_length depends on the cipher suite.
	// Any cipher suite which does not explicitly specify
	// verify_data_length has a verify_data_length equal to 12." Every
	// suite defined for TLS 1.2 so far keeps that default, so one
	// constant serves them all.
	VerifyDataLen = 12
	RandomLen     = 32 // RFC 5246, 7.4.1.2: ClientHello.random and ServerHello.random
)

// PHash fills out with P_hash(secret, seed) (RFC 5246, 5):
//
//	P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
//	                       HMAC_hash(secret, A(2) + seed) + ...
//	A(0) = seed
//	A(i) = HMAC_hash(secret, A(i-1))
//
// The output is as long as out; the last block is truncated.
func PHash(h crypto.Hash, secret, seed, out []byte) {
	mac := hmac.New(h.New, secret)
	mac.Write(seed)
	a := mac.Sum(nil) // A(1)
	block := make([]byte, 0, mac.Size())

	for n := 0; n < len(out); {
		mac.Reset()
		mac.Write(a)
		mac.Write(seed)
		block = mac.Sum(block[:0]) // HMAC_hash(secret, A(i) + seed)
		n += copy(out[n:], block)

		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0]) // A(i+1)
	}
}

// PRF returns n bytes of PRF(secret, label, seed) = P_<hash>(secret, label + seed)
// (RFC 5246, 5). TLS 1.2 suites use SHA-256 unless they name another hash.
func PRF(h crypto.Hash, secret []byte, label string, seed []byte, n int) []byte {
	labelAndSeed := make([]byte, 0, len(label)+len(seed))
	labelAndSeed = append(labelAndSeed, label...)
	labelAndSeed = append(labelAndSeed, seed...)
	out := make([]byte, n)
	PHash(h, secret, labelAndSeed, out)
	return out
}

// MasterSecret derives the 48-byte master secret (RFC 5246, 8.1):
//
//	master_secret = PRF(pre_master_secret, "master secret",
//	                    ClientHello.random + ServerHello.random)[0..47]
func MasterSecret(h crypto.Hash, preMasterSecret, clientRandom, serverRandom []byte) []byte {
	seed := concat(clientRandom, serverRandom)
	return PRF(h, preMasterSecret, LabelMasterSecret, seed, MasterSecretLen)
}

// ExtendedMasterSecret derives the master secret bound to the whole handshake
// so far (RFC 7627, 4). sessionHash is the transcript hash of every handshake
// message up to and including ClientKeyExchange:
//
//	master_secret = PRF(pre_master_secret, "extended master secret",
//	                    session_hash)[0..47]
//
// It defeats the triple handshake attack: two connections that share a master
// secret must have seen the same handshake, not just the same randoms.
func ExtendedMasterSecret(h crypto.Hash, preMasterSecret, sessionHash []byte) []byte {
	return PRF(h, preMasterSecret, LabelExtendedMasterSecret, sessionHash, MasterSecretLen)
}

// KeyBlock is the key_block of RFC 5246, 6.3, already cut into its parts in
// the order the RFC lists them.
type KeyBlock struct {
	ClientMACKey   []byte // client_write_MAC_key
	ServerMACKey   []byte // server_write_MAC_key
	ClientWriteKey []byte // client_write_key
	ServerWriteKey []byte // server_write_key
	ClientIV       []byte // client_write_IV (AEAD implicit nonce part; empty for CBC)
	ServerIV       []byte // server_write_IV
}

// KeysFromMasterSecret expands the master secret into the key block (RFC 5246, 6.3):
//
//	key_block = PRF(SecurityParameters.master_secret, "key expansion",
//	                SecurityParameters.server_random + SecurityParameters.client_random)
//
// Note the order of the randoms: server first, unlike the master secret.
func KeysFromMasterSecret(h crypto.Hash, masterSecret, clientRandom, serverRandom []byte, macLen, keyLen, ivLen int) KeyBlock {
	seed := concat(serverRandom, clientRandom)
	keyMaterial := PRF(h, masterSecret, LabelKeyExpansion, seed, 2*macLen+2*keyLen+2*ivLen)

	var kb KeyBlock
	next := func(n int) []byte {
		part := keyMaterial[:n:n]
		keyMaterial = keyMaterial[n:]
		return part
	}
	kb.ClientMACKey = next(macLen)
	kb.ServerMACKey = next(macLen)
	kb.ClientWriteKey = next(keyLen)
	kb.ServerWriteKey = next(keyLen)
	kb.ClientIV = next(ivLen)
	kb.ServerIV = next(ivLen)
	return kb
}

// VerifyData computes Finished.verify_data (RFC 5246, 7.4.9):
//
//	verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))
//	              [0..verify_data_length-1]
//
// handshakeHash is Hash(handshake_messages): the transcript hash of every
// handshake message before this Finished, not including it. fromClient picks
// the label: "client finished" or "server finished".
func VerifyData(h crypto.Hash, masterSecret []byte, fromClient bool, handshakeHash []byte) []byte {
	label := LabelServerFinished
	if fromClient {
		label = LabelClientFinished
	}
	return PRF(h, masterSecret, label, handshakeHash, VerifyDataLen)
}

// CheckHash reports an error if h is not a hash TLS 1.2 uses for its PRF.
func CheckHash(h crypto.Hash) error {
	if h != crypto.SHA256 && h != crypto.SHA384 {
		return fmt.Errorf("prf: %v is not a TLS 1.2 PRF hash", h)
	}
	return nil
}

func concat(a, b []byte) []byte {
	out := make([]byte, 0, len(a)+len(b))
	out = append(out, a...)
	return append(out, b...)
}
