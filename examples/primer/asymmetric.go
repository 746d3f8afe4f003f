package main

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"

	glasscipher "github.com/glasstls/glasstls/cipher"
)

// rsaKeyBits is big enough to be real and small enough to generate fast.
const rsaKeyBits = 2048

// demoRSA: a key pair. The public key encrypts, only the private key
// decrypts (asymmetric). TLS_RSA_* suites do exactly this with the
// pre-master secret (cipher/kex_rsa.go): 48 bytes, client_version first,
// in PKCS #1 v1.5 padding (RFC 5246, 7.4.7.1).
func demoRSA(w io.Writer) error {
	key, err := rsa.GenerateKey(rand.Reader, rsaKeyBits)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "a %d-bit RSA key: public (n, e=%d), private d\n", key.N.BitLen(), key.E)
	preMasterSecret, err := glasscipher.NewRSAPreMasterSecret(rand.Reader, 0x0303)
	if err != nil {
		return err
	}
	encrypted, err := glasscipher.EncryptRSAPreMasterSecret(rand.Reader, &key.PublicKey, preMasterSecret)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "pre-master secret (03 03 = TLS 1.2, then 46 random bytes):\n  %x\n", preMasterSecret)
	fmt.Fprintf(w, "encrypted with the public key (%d bytes, what ClientKeyExchange carries):\n  %x...\n", len(encrypted), encrypted[:32])
	decrypted, err := glasscipher.DecryptRSAPreMasterSecret(rand.Reader, key, encrypted, 0x0303)
	if err != nil {
		return err
	}
	if !bytes.Equal(decrypted, preMasterSecret) {
		return errors.New("the private key did not recover the pre-master secret")
	}
	fmt.Fprintln(w, "decrypted with the private key: the same 48 bytes")
	other, err := rsa.GenerateKey(rand.Reader, rsaKeyBits)
	if err != nil {
		return err
	}
	wrong, err := glasscipher.DecryptRSAPreMasterSecret(rand.Reader, other, encrypted, 0x0303)
	if err != nil {
		return err
	}
	if bytes.Equal(wrong, preMasterSecret) {
		return errors.New("another private key decrypted it")
	}
	fmt.Fprintln(w, "another private key gets 48 unrelated random bytes, not an error: a TLS server answers a bad\n"+
		"ciphertext that way so that an attacker cannot tell good padding from bad (Bleichenbacher).")
	fmt.Fprintln(w, "Encrypting a whole message this way is slow and size-limited; TLS encrypts one secret with RSA, then\n"+
		"everything else with the symmetric keys derived from it.")
	return nil
}

// demoSignature: the private key signs, anyone with the public key
// verifies, and any change breaks the signature. TLS servers sign their
// ECDHE key (ServerKeyExchange), clients their transcript
// (CertificateVerify), CAs their certificates (handshake/signatures.go,
// x509verify/signature.go).
func demoSignature(w io.Writer) error {
	key, err := rsa.GenerateKey(rand.Reader, rsaKeyBits)
	if err != nil {
		return err
	}
	msg := []byte("server's ECDHE public key, client_random, server_random")
	digest := sha256.Sum256(msg)

	pkcs1, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return err
	}
	if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], pkcs1); err != nil {
		return err
	}
	fmt.Fprintf(w, "RSA PKCS #1 v1.5 signature of SHA-256(message): verifies with the public key\n")
	tampered := sha256.Sum256(append(bytes.Clone(msg), '!'))
	if rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, tampered[:], pkcs1) == nil {
		return errors.New("a changed message verified")
	}
	fmt.Fprintln(w, "one character added to the message: verification fails")

	// The picture: "signing is encrypting with the private key". For
	// textbook RSA the maths is the same: s = m^d mod n, and anyone can
	// compute s^e mod n. For PKCS #1 v1.5 that shows the padded digest.
	opened := new(big.Int).Exp(new(big.Int).SetBytes(pkcs1), big.NewInt(int64(key.E)), key.N).Bytes()
	fmt.Fprintf(w, "\nsignature^e mod n, with the public key (\"decrypting\" the signature):\n  00%x\n", opened[:12])
	fmt.Fprintf(w, "  ...ff ff 00, then the DigestInfo of SHA-256, then the digest: ...%x\n", opened[len(opened)-32:])
	if !bytes.Equal(opened[len(opened)-32:], digest[:]) {
		return errors.New("the digest is not at the end of s^e mod n")
	}
	fmt.Fprintln(w, "So for RSA PKCS #1 v1.5 the picture holds. It is only a picture:")

	pss1, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest[:], nil)
	if err != nil {
		return err
	}
	pss2, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest[:], nil)
	if err != nil {
		return err
	}
	if bytes.Equal(pss1, pss2) || rsa.VerifyPSS(&key.PublicKey, crypto.SHA256, digest[:], pss1, nil) != nil || rsa.VerifyPSS(&key.PublicKey, crypto.SHA256, digest[:], pss2, nil) != nil {
		return errors.New("PSS: two signatures should differ and both verify")
	}
	fmt.Fprintln(w, "- RSA-PSS (rsa_pss_rsae_sha256, what TLS 1.2 peers prefer now) mixes a random salt in: the same\n"+
		"  message signed twice gives two different signatures, both valid; s^e mod n shows no digest, only\n"+
		"  an encoding the verifier checks.")

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	sig, err := ecdsa.SignASN1(rand.Reader, ecKey, digest[:])
	if err != nil {
		return err
	}
	if !ecdsa.VerifyASN1(&ecKey.PublicKey, digest[:], sig) || ecdsa.VerifyASN1(&ecKey.PublicKey, tampered[:], sig) {
		return errors.New("ECDSA: the signature should verify, and not for a changed message")
	}
	fmt.Fprintf(w, "- ECDSA (ecdsa_secp256r1_sha256) has no encryption at all: a signature is two numbers (r, s)\n"+
		"  computed from a fresh random k (%d bytes here, DER); verifying checks an equation on the curve.\n", len(sig))
	fmt.Fprintln(w, "A signature is what only the private key can make and anyone can check; how, depends on the scheme.")
	return nil
}

// demoDH: Diffie-Hellman with toy numbers first, then X25519 as TLS's
// ECDHE uses it (cipher/kex_ecdhe.go): each side keeps a private number,
// sends a public one, and both compute the same secret, which never
// crosses the wire. An eavesdropper sees only the public values.
func demoDH(w io.Writer) error {
	// Textbook numbers: p = 23, g = 5 (far too small for real use).
	p, g := big.NewInt(23), big.NewInt(5)
	a, b := big.NewInt(6), big.NewInt(15) // the two private numbers
	A := new(big.Int).Exp(g, a, p)        // the client sends A = g^a mod p
	B := new(big.Int).Exp(g, b, p)        // the server sends B = g^b mod p
	clientSecret := new(big.Int).Exp(B, a, p)
	serverSecret := new(big.Int).Exp(A, b, p)
	fmt.Fprintf(w, "toy Diffie-Hellman, p = %v, g = %v:\n", p, g)
	fmt.Fprintf(w, "  client: private a = %v, sends A = g^a mod p = %v\n", a, A)
	fmt.Fprintf(w, "  server: private b = %v, sends B = g^b mod p = %v\n", b, B)
	fmt.Fprintf(w, "  client computes B^a mod p = %v; server computes A^b mod p = %v\n", clientSecret, serverSecret)
	if clientSecret.Cmp(serverSecret) != 0 {
		return errors.New("toy DH: the two secrets differ")
	}

	for _, curve := range []ecdh.Curve{ecdh.X25519(), ecdh.P256()} {
		client, err := curve.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		server, err := curve.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		clientShared, err := client.ECDH(server.PublicKey())
		if err != nil {
			return err
		}
		serverShared, err := server.ECDH(client.PublicKey())
		if err != nil {
			return err
		}
		if !bytes.Equal(clientShared, serverShared) {
			return fmt.Errorf("%v: the two shared secrets differ", curve)
		}
		fmt.Fprintf(w, "\nECDH on %v: public keys %d bytes each on the wire (ServerKeyExchange, ClientKeyExchange)\n", curve, len(client.PublicKey().Bytes()))
		fmt.Fprintf(w, "  client's shared secret: %x\n  server's shared secret: %x  (equal: the pre-master secret)\n", clientShared, serverShared)
	}
	fmt.Fprintln(w, "\nFresh key pairs per connection (the E in ECDHE) give forward secrecy: stealing the server's\n"+
		"certificate key later does not recover these secrets. The certificate key only signs the server's\n"+
		"public value, so a man in the middle cannot swap in his own.")
	return nil
}
