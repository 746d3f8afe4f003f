package cipher

import (
	"crypto"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
)

// PreMasterSecretLen is the length of the RSA key exchange
// pre_master_secret (RFC 5246, 7.4.7.1): 2 version bytes and 46 random.
const PreMasterSecretLen = 48

// NewRSAPreMasterSecret makes an RSA key exchange's PreMasterSecret: 2 bytes
// clientVersion (the version the client OFFERED in ClientHello) || 46 random
// bytes (RFC 5246, 7.4.7.1).
//
// The version is the offered one, not the negotiated one, so that a server
// can detect a man in the middle who rolled the version back (RFC 5246,
// 7.4.7.1: "the version number in the PreMasterSecret is the version
// offered by the client in the ClientHello.client_version").
func NewRSAPreMasterSecret(rand io.Reader, clientVersion uint16) ([]byte, error) {
	preMasterSecret := make([]byte, PreMasterSecretLen)
	preMasterSecret[0] = byte(clientVersion >> 8)
	preMasterSecret[1] = byte(clientVersion)
	if _, err := io.ReadFull(rand, preMasterSecret[2:]); err != nil {
		return nil, err
	}
	return preMasterSecret, nil
}

// EncryptRSAPreMasterSecret encrypts the pre-master secret to the server's
// key with RSAES-PKCS1-v1_5.
//
// It produces EncryptedPreMasterSecret.pre_master_secret (RFC 5246,
// 7.4.7.1) without the 2-byte length prefix, which belongs to the
// handshake encoding. Note: Go 1.26's rsa.EncryptPKCS1v15 ignores rand
// and uses system randomness unless GODEBUG=cryptocustomrand=1, so this
// ciphertext is the one part of a client's RSA handshake that does not
// replay byte for byte from Config.Rand.
func EncryptRSAPreMasterSecret(rand io.Reader, pub *rsa.PublicKey, preMasterSecret []byte) ([]byte, error) {
	if len(preMasterSecret) != PreMasterSecretLen {
		return nil, fmt.Errorf("cipher: pre_master_secret must be %d bytes, got %d", PreMasterSecretLen, len(preMasterSecret))
	}
	return rsa.EncryptPKCS1v15(rand, pub, preMasterSecret)
}

// DecryptRSAPreMasterSecret is the server side with the Bleichenbacher countermeasure of RFC 5246 7.4.7.1.
// It never reports a bad ciphertext: on a wrong padding, length or version
// it returns a random pre_master_secret and a nil error, so the handshake
// goes on and fails at Finished, identically to a wrong key. An error means
// a programming or environment problem: priv is not an RSA key, or rand
// failed.
//
// The steps, as RFC 5246, 7.4.7.1 lists them:
//
//  1. Generate a string R of 46 random bytes.
//  2. Decrypt the message to recover the plaintext M.
//  3. If the PKCS#1 padding is not correct, or the length of message M is
//     not exactly 48 bytes:
//     pre_master_secret = ClientHello.client_version || R
//     else (the RFC's option to skip the version check for TLS 1.0 peers is
//     not taken):
//     pre_master_secret = ClientHello.client_version || M[2..47]
//
// We treat a version mismatch like bad padding (the fallback), which has
// the same effect as the RFC's overwrite of the version bytes: a handshake
// that will fail at Finished. Every branch after decryption is a
// constant-time select, so timing reveals none of these outcomes.
func DecryptRSAPreMasterSecret(rand io.Reader, priv crypto.Decrypter, encrypted []byte, clientVersion uint16) ([]byte, error) {
	if _, ok := priv.Public().(*rsa.PublicKey); !ok {
		return nil, errors.New("cipher: RSA key exchange needs an RSA private key")
	}

	// Step 1, before looking at the ciphertext: the fallback must exist
	// before we know whether we need it.
	fallback, err := NewRSAPreMasterSecret(rand, clientVersion)
	if err != nil {
		return nil, err
	}

	// Step 2, in constant time.
	decrypted := make([]byte, PreMasterSecretLen)
	var ok int
	if k, isRSA := priv.(*rsa.PrivateKey); isRSA {
		// DecryptPKCS1v15SessionKey overwrites decrypted only if the padding
		// is valid and the message is exactly 48 bytes, without branching on
		// either; otherwise it leaves our fallback in place. Its error covers
		// only public facts (the ciphertext length, the key size).
		copy(decrypted, fallback)
		ok = 1
		if err := rsa.DecryptPKCS1v15SessionKey(nil, k, encrypted, decrypted); err != nil {
			ok = 0
		}
	} else {
		// Other Decrypters (an HSM, a remote signer) get the same request
		// through crypto.Decrypter: with SessionKeyLen set they too must
		// return a random key rather than an error on bad padding.
		m, err := priv.Decrypt(rand, encrypted, &rsa.PKCS1v15DecryptOptions{SessionKeyLen: PreMasterSecretLen})
		ok = subtle.ConstantTimeEq(int32(len(m)), PreMasterSecretLen)
		if err != nil {
			ok = 0
		}
		if ok == 1 {
			copy(decrypted, m)
		}
	}

	// Step 3: the version check, and the fallback on any failure.
	ok &= subtle.ConstantTimeByteEq(decrypted[0], byte(clientVersion>>8))
	ok &= subtle.ConstantTimeByteEq(decrypted[1], byte(clientVersion))
	subtle.ConstantTimeCopy(1-ok, decrypted, fallback)
	return decrypted, nil
}
