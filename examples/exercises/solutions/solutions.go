// Package solutions holds the reference answers to examples/exercises.
// Try each exercise before reading its answer here.
package solutions

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"errors"

	glasscipher "github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/prf"
)

// Exercise1 is the reference answer to exercises.Exercise1.
func Exercise1(preMasterSecret, clientRandom, serverRandom []byte) ([]byte, error) {
	seed := append(append([]byte{}, clientRandom...), serverRandom...)
	return prf.PRF(crypto.SHA256, preMasterSecret, "master secret", seed, 48), nil
}

// Exercise2 is the reference answer to exercises.Exercise2.
func Exercise2(masterSecret, clientRandom, serverRandom []byte) ([]byte, error) {
	seed := append(append([]byte{}, serverRandom...), clientRandom...) // server first
	keyBlock := prf.PRF(crypto.SHA256, masterSecret, "key expansion", seed, 2*20+2*16)
	return keyBlock[2*20 : 2*20+16], nil // after both MAC keys
}

// Exercise3 is the reference answer to exercises.Exercise3.
func Exercise3(masterSecret, handshakeHash []byte) ([]byte, error) {
	return prf.PRF(crypto.SHA256, masterSecret, "client finished", handshakeHash, 12), nil
}

// Exercise4 is the reference answer to exercises.Exercise4.
func Exercise4(key, sent, received []byte) (int, byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return 0, 0, err
	}
	plaintext := make([]byte, len(received))
	cipher.NewCTR(block, make([]byte, aes.BlockSize)).XORKeyStream(plaintext, received)
	for i := range plaintext {
		if plaintext[i] != sent[i] {
			return i, plaintext[i], nil
		}
	}
	return 0, 0, errors.New("nothing changed")
}

// Exercise5 is the reference answer to exercises.Exercise5.
func Exercise5(key, nonce []byte, candidates [][]byte) (int, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return 0, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return 0, err
	}
	for i, c := range candidates {
		if _, err := gcm.Open(nil, nonce, c, nil); err == nil {
			return i, nil
		}
	}
	return 0, errors.New("none is intact")
}

// Exercise6 is the reference answer to exercises.Exercise6.
func Exercise6(macKey []byte, seq uint64, contentType uint8, fragment []byte) ([]byte, error) {
	header := make([]byte, 13)
	binary.BigEndian.PutUint64(header, seq)
	header[8] = contentType
	binary.BigEndian.PutUint16(header[9:], 0x0303)
	binary.BigEndian.PutUint16(header[11:], uint16(len(fragment)))
	mac := hmac.New(sha1.New, macKey)
	mac.Write(header)
	mac.Write(fragment)
	return mac.Sum(nil), nil
}

// Exercise7 is the reference answer to exercises.Exercise7.
func Exercise7(writeIV []byte, seq uint64) ([]byte, error) {
	nonce := bytes.Clone(writeIV)
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seq)
	for i := range s {
		nonce[len(nonce)-8+i] ^= s[i]
	}
	return nonce, nil
}

// Exercise8 is the reference answer to exercises.Exercise8.
func Exercise8(clientKey *ecdh.PrivateKey, serverPublic []byte) ([]byte, error) {
	return glasscipher.ECDHESharedSecret(clientKey, serverPublic)
}

// Exercise9 is the reference answer to exercises.Exercise9.
func Exercise9(certificate *x509.Certificate, clientRandom, serverRandom, params, signature []byte) (bool, error) {
	pub, ok := certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		return false, errors.New("not an RSA key")
	}
	h := sha256.New()
	h.Write(clientRandom)
	h.Write(serverRandom)
	h.Write(params)
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h.Sum(nil), signature) == nil, nil
}

// Exercise10 is the reference answer to exercises.Exercise10.
func Exercise10(serverKey *rsa.PublicKey) ([]byte, []byte, error) {
	preMasterSecret, err := glasscipher.NewRSAPreMasterSecret(rand.Reader, 0x0301)
	if err != nil {
		return nil, nil, err
	}
	encrypted, err := glasscipher.EncryptRSAPreMasterSecret(rand.Reader, serverKey, preMasterSecret)
	return preMasterSecret, encrypted, err
}
