package cipher

import (
	"crypto/aes"
	stdcipher "crypto/cipher"
	"encoding/binary"
)

// aeadProtection is GenericAEADCipher (RFC 5246, 6.2.3.3) for both AEADs
// glasstls speaks. They differ only in how the 12-byte nonce is made, and
// the two constructions sit next to each other in nonce below:
//
//	AES-GCM (RFC 5288, 3):            nonce = salt[4] || nonce_explicit[8]
//	                                  nonce_explicit travels in the record.
//	ChaCha20-Poly1305 (RFC 7905, 2):  nonce = IV[12] XOR (0[4] || seq_num[8])
//	                                  nothing travels in the record.
//
// Both must never repeat a nonce under one key. GCM leaves the explicit part
// to the sender; we put seq_num there (as OpenSSL and Go do), which is
// unique without needing randomness. ChaCha20-Poly1305 takes the later
// design decision that the sequence number both sides already know is
// enough, saving 8 bytes per record.
type aeadProtection struct {
	aead stdcipher.AEAD
	// explicitNonceLen is 8 for GCM (RFC 5288, 3) and 0 for ChaCha20-Poly1305.
	explicitNonceLen int
	// fixedIV is the key block's IV: the 4-byte GCM salt or the 12-byte ChaCha20 IV.
	fixedIV [12]byte
	nonce   [12]byte
	ad      [13]byte
}

func newGCMProtection(key, salt []byte) (Protection, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := stdcipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	p := &aeadProtection{aead: aead, explicitNonceLen: 8}
	copy(p.fixedIV[:4], salt)
	return p, nil
}

func newChaChaProtection(aead stdcipher.AEAD, iv []byte) Protection {
	p := &aeadProtection{aead: aead, explicitNonceLen: 0}
	copy(p.fixedIV[:], iv)
	return p
}

// sealNonce builds the nonce for a record we send with sequence number seq.
func (p *aeadProtection) sealNonce(seq uint64) []byte {
	if p.explicitNonceLen == 0 {
		return p.xorNonce(seq)
	}
	// RFC 5288, 3: salt || nonce_explicit, with nonce_explicit = seq_num.
	copy(p.nonce[:4], p.fixedIV[:4])
	binary.BigEndian.PutUint64(p.nonce[4:], seq)
	return p.nonce[:]
}

// openNonce builds the nonce for a received record. For GCM the explicit
// part is whatever the sender put in the record: RFC 5288 lets the sender
// choose it, so we must not assume it equals seq_num. ChaCha20-Poly1305
// sends no nonce: both sides derive it from seq_num the same way.
func (p *aeadProtection) openNonce(seq uint64, explicit []byte) []byte {
	if p.explicitNonceLen == 0 {
		return p.xorNonce(seq)
	}
	copy(p.nonce[:4], p.fixedIV[:4])
	copy(p.nonce[4:], explicit)
	return p.nonce[:]
}

// xorNonce is RFC 7905, 2's nonce, the same for sealing and opening: the
// 64-bit seq_num, left-padded with zeros to 12 bytes, XORed with the
// 12-byte IV.
func (p *aeadProtection) xorNonce(seq uint64) []byte {
	copy(p.nonce[:], p.fixedIV[:])
	for i := 0; i < 8; i++ {
		p.nonce[4+i] ^= byte(seq >> (56 - 8*i))
	}
	return p.nonce[:]
}

// Seal produces nonce_explicit || aead_output (RFC 5246, 6.2.3.3), where
// aead_output is the ciphertext followed by the tag.
func (p *aeadProtection) Seal(dst []byte, seq uint64, contentType uint8, version uint16, plaintext []byte) ([]byte, error) {
	n := len(plaintext)
	whole, out := sliceForAppend(dst, p.explicitNonceLen+n+p.aead.Overhead())
	body := out[p.explicitNonceLen:]
	// Performance: seal straight from plaintext into place, as crypto/tls
	// does (a copy of 16 KiB costs ~10% of sealing it). Only a plaintext
	// that partly overlaps its destination, which the AEAD forbids, is
	// moved into place first (copy is memmove) and sealed in place.
	src := plaintext
	if inexactOverlap(body[:n], plaintext) {
		copy(body, plaintext)
		src = body[:n]
	}
	nonce := p.sealNonce(seq)
	copy(out[:p.explicitNonceLen], nonce[4:])
	// RFC 5246, 6.2.3.3: additional_data = seq_num + TLSCompressed.type +
	// TLSCompressed.version + TLSCompressed.length (the plaintext length).
	ad := putPseudoHeader(&p.ad, seq, contentType, version, n)
	p.aead.Seal(body[:0], nonce, src, ad)
	return whole, nil
}

// Open checks and decrypts one GenericAEADCipher fragment.
func (p *aeadProtection) Open(dst []byte, seq uint64, contentType uint8, version uint16, fragment []byte) ([]byte, error) {
	if len(fragment) < p.explicitNonceLen+p.aead.Overhead() {
		return nil, ErrBadRecordMAC
	}
	nonce := p.openNonce(seq, fragment[:p.explicitNonceLen])
	ciphertext := fragment[p.explicitNonceLen:]
	n := len(ciphertext) - p.aead.Overhead()
	ad := putPseudoHeader(&p.ad, seq, contentType, version, n)
	// Decrypt in place (exact overlap is allowed by crypto/cipher), then
	// move the plaintext to dst.
	plaintext, err := p.aead.Open(ciphertext[:0], nonce, ciphertext, ad)
	if err != nil {
		return nil, ErrBadRecordMAC
	}
	if inPlace(dst, fragment) {
		// Performance: opened in place (see Protection.Open), the
		// plaintext stays where it was decrypted, behind GCM's explicit
		// nonce, instead of moving 8 bytes forward: a copy of up to 16
		// KiB per record saved, as in crypto/tls.
		return plaintext, nil
	}
	whole, out := sliceForAppend(dst, n)
	copy(out, plaintext)
	return whole, nil
}

// MaxOverhead is the explicit nonce plus the 16-byte tag.
func (p *aeadProtection) MaxOverhead() int { return p.explicitNonceLen + p.aead.Overhead() }
