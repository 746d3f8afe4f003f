// Package exercises is a graded set of ten TLS 1.2 exercises. Each is a
// function below that returns ErrUnsolved: replace its body with your
// answer, then run its check, which says right or wrong and why:
//
//	go test ./examples/exercises -run Exercise3
//
// A check of an exercise you have not touched yet fails when you ask for
// it by name (-run Exercise3) and is skipped in a whole-suite run, so the
// repository's own `go test ./...` stays green. Under CI=true the checks
// of untouched exercises run against the reference solutions instead
// (examples/exercises/solutions; do not peek before you try), and two
// more tests keep the checks honest: every reference solution passes its
// check, and every check refuses a plausible wrong answer.
//
// The exercises go from "compute this master secret" to "make the
// version-rollback defence fire". Everything you need is in glasstls's
// prf and cipher packages and Go's standard library; each comment names
// the RFC section.
package exercises

import (
	"crypto/ecdh"
	"crypto/rsa"
	"crypto/x509"
	"errors"
)

// ErrUnsolved is what an exercise returns until you solve it.
var ErrUnsolved = errors.New("not solved yet")

// Exercise1 (the classic master secret, RFC 5246, 8.1): compute
//
//	master_secret = PRF(pre_master_secret, "master secret",
//	                    ClientHello.random + ServerHello.random)[0..47]
//
// with the SHA-256 PRF. Use prf.PRF, not prf.MasterSecret.
func Exercise1(preMasterSecret, clientRandom, serverRandom []byte) ([]byte, error) {
	return nil, ErrUnsolved
}

// Exercise2 (the key block, RFC 5246, 6.3): for
// TLS_RSA_WITH_AES_128_CBC_SHA (MAC keys 20 bytes, keys 16, no IVs) with
// the SHA-256 PRF, return client_write_key. Mind the order of the randoms.
func Exercise2(masterSecret, clientRandom, serverRandom []byte) ([]byte, error) {
	return nil, ErrUnsolved
}

// Exercise3 (Finished, RFC 5246, 7.4.9): return the client's verify_data,
// given the master secret and Hash(handshake_messages) (SHA-256).
func Exercise3(masterSecret, handshakeHash []byte) ([]byte, error) {
	return nil, ErrUnsolved
}

// Exercise4 (why encryption alone is not enough): a message was sent
// encrypted with AES-128 in CTR mode (IV all zeros), with no MAC. An
// attacker changed one byte on the way. You hold the key and know what
// was sent. Return the index of the changed byte and the plaintext byte
// the receiver now sees there.
func Exercise4(key, sent, received []byte) (index int, now byte, err error) {
	return 0, 0, ErrUnsolved
}

// Exercise5 (find which byte an attacker changed, when there is a MAC):
// each of the candidates is the same AES-128-GCM record (nonce and tag
// included, no additional data) as received on one of several paths;
// only one arrived intact. Return its index; the others fail to open.
func Exercise5(key, nonce []byte, candidates [][]byte) (int, error) {
	return 0, ErrUnsolved
}

// Exercise6 (record MAC, RFC 5246, 6.2.3.1): return the MAC of a TLS 1.2
// record for a CBC suite with HMAC-SHA1:
//
//	MAC(MAC_write_key, seq_num + TLSCompressed.type +
//	    TLSCompressed.version + TLSCompressed.length + TLSCompressed.fragment)
//
// seq_num is 8 bytes, the version 0x0303, the length 2 bytes.
func Exercise6(macKey []byte, seq uint64, contentType uint8, fragment []byte) ([]byte, error) {
	return nil, ErrUnsolved
}

// Exercise7 (the ChaCha20-Poly1305 nonce, RFC 7905, 2): return the
// 12-byte nonce of the record with sequence number seq: the 64-bit
// sequence number, big-endian, left-padded with zeros to 12 bytes, XORed
// with the 12-byte write IV.
func Exercise7(writeIV []byte, seq uint64) ([]byte, error) {
	return nil, ErrUnsolved
}

// Exercise8 (ECDHE, RFC 8422, 5.10): you are the client. Return the
// pre-master secret from your X25519 private key and the server's public
// key as sent in ServerKeyExchange.
func Exercise8(clientKey *ecdh.PrivateKey, serverPublic []byte) ([]byte, error) {
	return nil, ErrUnsolved
}

// Exercise9 (ServerKeyExchange, RFC 5246, 7.4.3; RFC 8422, 5.4): the
// server signed client_random + server_random + params with
// rsa_pkcs1_sha256 (PKCS #1 v1.5 over SHA-256). Return whether signature
// is genuine for the certificate's key.
func Exercise9(certificate *x509.Certificate, clientRandom, serverRandom, params, signature []byte) (bool, error) {
	return false, ErrUnsolved
}

// Exercise10 (make the version-rollback defence fire, RFC 5246, 7.4.7.1):
// the client offered TLS 1.2 (0x0303) in its ClientHello. Play the man in
// the middle who wants the server to believe the client only speaks TLS
// 1.0: return a pre-master secret with version 0x0301 inside, and its
// RSA encryption to the server's key. The check decrypts it as the server
// does, and wants to see the defence fire (and not just a broken
// ciphertext).
func Exercise10(serverKey *rsa.PublicKey) (preMasterSecret, encrypted []byte, err error) {
	return nil, nil, ErrUnsolved
}
