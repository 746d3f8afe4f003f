package handshake

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"slices"

	// Registers SHA-1 and SHA-2 with crypto.Hash so h.New() works below.
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// Errors from signHandshake, verifyHandshake and selectSignatureScheme. They
// are wrapped with details, so compare with errors.Is. The caller picks the
// alert: a scheme the key cannot use is illegal_parameter, a signature that
// does not verify is decrypt_error (RFC 5246, 7.2.2), no common scheme is
// handshake_failure.
var (
	errUnsupportedScheme = errors.New("handshake: unsupported signature scheme")
	errSchemeKeyMismatch = errors.New("handshake: signature scheme does not fit the key")
	errUnsupportedKey    = errors.New("handshake: unsupported key type")
	errBadSignature      = errors.New("handshake: signature verification failed")
	errNoCommonScheme    = errors.New("handshake: no signature scheme in common with the peer")
)

// signatureAlgorithm is the key family a scheme signs with.
type signatureAlgorithm uint8

const (
	algorithmUnknown signatureAlgorithm = iota
	algorithmPKCS1
	algorithmPSS
	algorithmECDSA
	algorithmEd25519
	algorithmPSSPSS // RSASSA-PSS made by an id-RSASSA-PSS key
)

// schemeInfo is everything the code needs to know about one scheme.
type schemeInfo struct {
	algorithm signatureAlgorithm
	hash      crypto.Hash
	// curve is the ECDSA curve in the scheme's RFC 8446 name, or nil.
	// TLS 1.3 binds the scheme to that curve (RFC 8446, 4.2.3), but in
	// TLS 1.2 a SignatureAndHashAlgorithm is only a hash and an algorithm
	// (RFC 5246, 7.4.1.4.1): ecdsa_secp256r1_sha256 is "ECDSA with
	// SHA-256" on any curve. So curve only orders our choice when signing
	// (the hash of the same strength as the key first), it never refuses.
	curve elliptic.Curve
}

// schemeInfoOf describes s; unknown schemes get algorithmUnknown. A switch
// instead of a map keeps the table constant (no package-level mutable state).
func schemeInfoOf(s SignatureScheme) schemeInfo {
	switch s {
	case PKCS1WithSHA256:
		return schemeInfo{algorithmPKCS1, crypto.SHA256, nil}
	case PKCS1WithSHA384:
		return schemeInfo{algorithmPKCS1, crypto.SHA384, nil}
	case PKCS1WithSHA512:
		return schemeInfo{algorithmPKCS1, crypto.SHA512, nil}
	case PKCS1WithSHA1:
		return schemeInfo{algorithmPKCS1, crypto.SHA1, nil}
	case PSSWithSHA256:
		return schemeInfo{algorithmPSS, crypto.SHA256, nil}
	case PSSWithSHA384:
		return schemeInfo{algorithmPSS, crypto.SHA384, nil}
	case PSSWithSHA512:
		return schemeInfo{algorithmPSS, crypto.SHA512, nil}
	case ECDSAWithP256AndSHA256:
		return schemeInfo{algorithmECDSA, crypto.SHA256, elliptic.P256()}
	case ECDSAWithP384AndSHA384:
		return schemeInfo{algorithmECDSA, crypto.SHA384, elliptic.P384()}
	case ECDSAWithP521AndSHA512:
		return schemeInfo{algorithmECDSA, crypto.SHA512, elliptic.P521()}
	case ECDSAWithSHA1:
		return schemeInfo{algorithmECDSA, crypto.SHA1, nil}
	case PSSPSSWithSHA256:
		return schemeInfo{algorithmPSSPSS, crypto.SHA256, nil}
	case PSSPSSWithSHA384:
		return schemeInfo{algorithmPSSPSS, crypto.SHA384, nil}
	case PSSPSSWithSHA512:
		return schemeInfo{algorithmPSSPSS, crypto.SHA512, nil}
	case Ed25519:
		// No hash of ours: Ed25519 signs the message itself (RFC 8032, 5.1.6).
		return schemeInfo{algorithmEd25519, 0, nil}
	}
	return schemeInfo{}
}

// schemeHash is the hash the scheme signs with, or 0 for an unknown scheme.
func schemeHash(s SignatureScheme) crypto.Hash {
	return schemeInfoOf(s).hash
}

// defaultSignatureSchemes is what glasstls offers in signature_algorithms and
// accepts, most preferred first: ECDSA first because it is cheap to verify,
// PSS before PKCS#1 v1.5 because PSS has a security proof, and P-521 last
// because few peers need it. Ed25519 follows the ECDSA schemes: it is as
// cheap and needs no random nonce, but fewer certificates carry it. SHA-1 is
// absent: it has practical collisions.
// A fresh slice each call, so callers may modify it.
func defaultSignatureSchemes() []SignatureScheme {
	return []SignatureScheme{
		ECDSAWithP256AndSHA256,
		ECDSAWithP384AndSHA384,
		Ed25519,
		PSSWithSHA256,
		PSSWithSHA384,
		PSSWithSHA512,
		PSSPSSWithSHA256,
		PSSPSSWithSHA384,
		PSSPSSWithSHA512,
		PKCS1WithSHA256,
		PKCS1WithSHA384,
		PKCS1WithSHA512,
		ECDSAWithP521AndSHA512,
	}
}

// schemeSupportedByKey reports whether a signature made with scheme s by the
// private half of pub can exist: an RSA key makes PKCS#1 v1.5 and PSS
// signatures, an ECDSA key every ECDSA scheme whatever its curve (TLS 1.2
// pairs no hash with a curve, see schemeInfo.curve), an Ed25519 key only
// ed25519.
func schemeSupportedByKey(pub crypto.PublicKey, s SignatureScheme) bool {
	info := schemeInfoOf(s)
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		return info.algorithm == algorithmPKCS1 || info.algorithm == algorithmPSS && pssKeyBigEnough(pub, info)
	case *ecdsa.PublicKey:
		return info.algorithm == algorithmECDSA
	case ed25519.PublicKey:
		return info.algorithm == algorithmEd25519
	case *RSAPSSPublicKey:
		// RFC 8446, 4.2.3: an id-RSASSA-PSS key signs with rsa_pss_pss_*
		// only, an rsaEncryption key never with rsa_pss_pss_*.
		return info.algorithm == algorithmPSSPSS && pssKeyBigEnough(pub.PublicKey, info)
	}
	return false
}

// pssKeyBigEnough applies RFC 8017, 9.1.1 step 3: PSS with a salt as long
// as the hash needs emLen >= 2*hLen + 2, which rules out e.g. PSS-SHA512
// with a 1024-bit key.
func pssKeyBigEnough(pub *rsa.PublicKey, info schemeInfo) bool {
	return pub.Size() >= 2*info.hash.Size()+2
}

// checkSchemeForKey is schemeSupportedByKey with a reason. The yes or no
// comes first (performance: choosing a scheme tries several and needs no
// error message for those it skips).
func checkSchemeForKey(pub crypto.PublicKey, s SignatureScheme) error {
	if schemeSupportedByKey(pub, s) {
		return nil
	}
	info := schemeInfoOf(s)
	if info.algorithm == algorithmUnknown {
		return fmt.Errorf("%w %v", errUnsupportedScheme, s)
	}
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		if info.algorithm == algorithmPSS {
			return fmt.Errorf("%w: %d-bit RSA key too small for %v", errSchemeKeyMismatch, pub.N.BitLen(), s)
		}
		return fmt.Errorf("%w: %v does not fit an RSA (rsaEncryption) key", errSchemeKeyMismatch, s)
	case *ecdsa.PublicKey:
		return fmt.Errorf("%w: %v does not fit an ECDSA key", errSchemeKeyMismatch, s)
	case ed25519.PublicKey:
		return fmt.Errorf("%w: %v does not fit an Ed25519 key", errSchemeKeyMismatch, s)
	case *RSAPSSPublicKey:
		return fmt.Errorf("%w: %v does not fit an RSASSA-PSS key (rsa_pss_pss_* only)", errSchemeKeyMismatch, s)
	}
	return fmt.Errorf("%w %T", errUnsupportedKey, pub)
}

// signHandshake signs data (a ServerKeyExchange's randoms and params, or the
// handshake transcript for CertificateVerify) with key using scheme: data is
// hashed with the scheme's hash, then signed with RSASSA-PKCS1-v1_5,
// RSASSA-PSS (salt as long as the hash, RFC 8446, 4.2.3) or ECDSA (an ASN.1
// DER Ecdsa-Sig-Value, RFC 8422, 5.4); Ed25519 signs data itself, unhashed
// (PureEdDSA, RFC 8422, 5.1.3). key may be any crypto.Signer, so a
// hardware key works too. rand is handed to key.Sign.
func signHandshake(rand io.Reader, key crypto.Signer, scheme SignatureScheme, data []byte) ([]byte, error) {
	if err := checkSchemeForKey(key.Public(), scheme); err != nil {
		return nil, err
	}
	info := schemeInfoOf(scheme)
	digest := hashData(info.hash, data)
	var opts crypto.SignerOpts = info.hash
	switch info.algorithm {
	case algorithmPSS, algorithmPSSPSS:
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: info.hash}
	case algorithmEd25519:
		// crypto.Signer's convention for PureEdDSA: the whole message
		// instead of a digest, and crypto.Hash(0) as the options.
		digest, opts = data, crypto.Hash(0)
	}
	sig, err := key.Sign(rand, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("handshake: signing with %v: %w", scheme, err)
	}
	return sig, nil
}

// verifyHandshake checks that sig is scheme's signature over data by the
// private half of pub (an *rsa.PublicKey, *ecdsa.PublicKey or
// ed25519.PublicKey). A scheme the
// key cannot have made is errSchemeKeyMismatch (or errUnsupportedScheme /
// errUnsupportedKey), a signature that does not verify is errBadSignature.
func verifyHandshake(pub crypto.PublicKey, scheme SignatureScheme, data, sig []byte) error {
	if err := checkSchemeForKey(pub, scheme); err != nil {
		return err
	}
	info := schemeInfoOf(scheme)
	digest := hashData(info.hash, data)
	var err error
	switch info.algorithm {
	case algorithmPKCS1:
		err = rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), info.hash, digest, sig)
	case algorithmPSS:
		// RFC 8446, 4.2.3: the salt length MUST equal the digest length,
		// so a signature with any other salt is rejected, not tolerated.
		err = rsa.VerifyPSS(pub.(*rsa.PublicKey), info.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case algorithmPSSPSS:
		err = rsa.VerifyPSS(pub.(*RSAPSSPublicKey).PublicKey, info.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case algorithmECDSA:
		if !ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), digest, sig) {
			err = errors.New("ecdsa: invalid signature")
		}
	case algorithmEd25519:
		// RFC 8032, 5.1.7 over the message itself; ed25519.Verify also
		// refuses a signature of the wrong length.
		if !ed25519.Verify(pub.(ed25519.PublicKey), data, sig) {
			err = errors.New("ed25519: invalid signature")
		}
	}
	if err != nil {
		return fmt.Errorf("%w (%v): %v", errBadSignature, scheme, err)
	}
	return nil
}

// hashData returns h(data), or nil for no hash (Ed25519).
func hashData(h crypto.Hash, data []byte) []byte {
	if h == 0 {
		return nil
	}
	hh := h.New()
	hh.Write(data)
	return hh.Sum(nil)
}

// signingSchemes is what cert's key may sign with, most preferred first:
// its SupportedSignatureAlgorithms if set, else ours.
func (cert *Certificate) signingSchemes(ours []SignatureScheme) []SignatureScheme {
	if len(cert.SupportedSignatureAlgorithms) > 0 {
		return cert.SupportedSignatureAlgorithms
	}
	return ours
}

// selectSignatureScheme picks the scheme to sign with: the first of ours
// (nil means defaultSignatureSchemes()) that the peer offered in
// peerSchemes and that our key (pub) can make. An ECDSA key prefers the
// scheme named after its curve (SHA-384 for P-384: a hash as strong as the
// key), then takes any other ECDSA scheme the peer offered, which TLS 1.2
// allows (RFC 5246, 7.4.1.4.1) and a peer offering only SHA-256 needs.
// No match is errNoCommonScheme (handshake_failure).
//
// A peer that sent no signature_algorithms at all is, by RFC 5246,
// 7.4.1.4.1, taken to accept {sha1, <the key's algorithm>} and nothing
// else. RFC 9155, 2 forbids that now: "If a client does not send a
// signature_algorithms extension, then the server MUST abort the
// handshake and send a handshake_failure alert". Since SHA-1 is never
// among ours unless the Config (or the Certificate) lists it, the result
// is errNoCommonScheme, and a server that has to sign has no suite; a
// Config that names PKCS1WithSHA1 or ECDSAWithSHA1 itself opts in to
// signing with SHA-1 for such clients.
func selectSignatureScheme(pub crypto.PublicKey, ours, peerSchemes []SignatureScheme) (SignatureScheme, error) {
	if len(peerSchemes) == 0 {
		peerSchemes = []SignatureScheme{PKCS1WithSHA1, ECDSAWithSHA1}
	}
	if ours == nil {
		ours = defaultSignatureSchemes()
	}
	usable := func(s SignatureScheme) bool {
		return schemeSupportedByKey(pub, s) && slices.Contains(peerSchemes, s)
	}
	if ecKey, ok := pub.(*ecdsa.PublicKey); ok {
		for _, s := range ours {
			if schemeInfoOf(s).curve == ecKey.Curve && usable(s) {
				return s, nil
			}
		}
	}
	for _, s := range ours {
		if usable(s) {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w for a %T", errNoCommonScheme, pub)
}
