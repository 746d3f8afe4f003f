package cipher

import (
	stdcipher "crypto/cipher"
	"crypto/subtle"
	"errors"
	"hash"
	"io"
)

// cbcMode is a CBC encrypter or decrypter whose IV can be reset per record
// without allocating a new one (crypto/cipher's CBC modes have SetIV).
type cbcMode interface {
	stdcipher.BlockMode
	SetIV([]byte)
}

// cbcProtection is GenericBlockCipher (RFC 5246, 6.2.3.2) with AES and an
// HMAC, in one of two orders:
//
//	MAC-then-encrypt (RFC 5246):  IV || E(content || MAC(hdr || content) || padding)
//	encrypt-then-MAC (RFC 7366):  IV || E(content || padding) || MAC(hdr' || IV || ciphertext)
//
// TLS 1.2 sends a fresh random IV with every record (RFC 5246, 6.2.3.2),
// fixing TLS 1.0's chained IVs (the BEAST attack). So the key block has no
// IVs for these suites.
type cbcProtection struct {
	enc, dec       cbcMode
	mac            hash.Hash
	md             mdShape // the MAC's hash, for the Lucky13 countermeasure
	macLen         int
	encryptThenMAC bool
	rand           io.Reader

	hdr [13]byte
	// localMAC holds the MAC we compute. It is 64 bytes, larger than any
	// HMAC we use, so that the constant-time comparison in lucky13.go can
	// index it with a masked offset that is always in bounds.
	localMAC [64]byte
	// zeros feeds the extra hashing that keeps MAC time independent of the
	// padding length (lucky13.go).
	zeros [maxExtraHash]byte
}

func newCBCProtection(block stdcipher.Block, mac hash.Hash, encryptThenMAC bool, rand io.Reader) (Protection, error) {
	var iv [aesBlockSize]byte
	enc, ok1 := stdcipher.NewCBCEncrypter(block, iv[:]).(cbcMode)
	dec, ok2 := stdcipher.NewCBCDecrypter(block, iv[:]).(cbcMode)
	if !ok1 || !ok2 {
		return nil, errors.New("cipher: CBC mode without SetIV")
	}
	// lucky13.go counts compression-function calls, which needs the shape
	// of the hash: SHA-1 and SHA-256 (64-byte blocks) or SHA-384 (128).
	var md mdShape
	switch {
	case mac.BlockSize() == mdSHA256.blockSize && mac.Size() <= 32:
		md = mdSHA256
	case mac.BlockSize() == mdSHA384.blockSize && mac.Size() == 48:
		md = mdSHA384
	default:
		return nil, errors.New("cipher: unsupported HMAC hash for CBC")
	}
	return &cbcProtection{
		enc:            enc,
		dec:            dec,
		mac:            mac,
		md:             md,
		macLen:         mac.Size(),
		encryptThenMAC: encryptThenMAC,
		rand:           rand,
	}, nil
}

// aesBlockSize is the AES block size, which is also the TLS 1.2 record IV
// length (RFC 5246, 6.2.3.2: record_iv_length = block_size).
const aesBlockSize = 16

// MaxOverhead is the IV, the MAC and at most a full block of padding.
// (Seal uses the minimal padding; a peer may pad up to 255 bytes.)
func (p *cbcProtection) MaxOverhead() int { return aesBlockSize + p.macLen + aesBlockSize }

// Seal builds a GenericBlockCipher fragment.
func (p *cbcProtection) Seal(dst []byte, seq uint64, contentType uint8, version uint16, plaintext []byte) ([]byte, error) {
	n := len(plaintext)
	// What is encrypted: content, the MAC unless it comes after, then padding.
	contentLen := n
	trailerMAC := p.macLen
	if !p.encryptThenMAC {
		contentLen += p.macLen
		trailerMAC = 0
	}
	// RFC 5246, 6.2.3.2: padding_length+1 bytes, each equal to padding_length,
	// so that the encrypted part is a multiple of the block size. We send the
	// minimum; the RFC allows up to 255 to hide lengths.
	paddingLength := aesBlockSize - 1 - contentLen%aesBlockSize
	encLen := contentLen + paddingLength + 1

	whole, out := sliceForAppend(dst, aesBlockSize+encLen+trailerMAC)
	iv := out[:aesBlockSize]
	enc := out[aesBlockSize : aesBlockSize+encLen]
	copy(enc, plaintext) // first, so any overlap with dst is harmless
	if _, err := io.ReadFull(p.rand, iv); err != nil {
		return nil, err
	}

	if !p.encryptThenMAC {
		// RFC 5246, 6.2.3.1: MAC(MAC_write_key, seq_num + TLSCompressed.type +
		// TLSCompressed.version + TLSCompressed.length + TLSCompressed.fragment).
		p.mac.Reset()
		p.mac.Write(putPseudoHeader(&p.hdr, seq, contentType, version, n))
		p.mac.Write(enc[:n])
		p.mac.Sum(enc[:n]) // appends in place: enc has room for it
	}
	for i := contentLen; i < encLen; i++ {
		enc[i] = byte(paddingLength)
	}
	p.enc.SetIV(iv)
	p.enc.CryptBlocks(enc, enc)

	if p.encryptThenMAC {
		// RFC 7366, 3: MAC(MAC_write_key, seq_num + type + version + length +
		// IV + ENC(content + padding + padding_length)), where length counts
		// the IV and ciphertext but not the MAC.
		ivAndCiphertext := out[:aesBlockSize+encLen]
		p.mac.Reset()
		p.mac.Write(putPseudoHeader(&p.hdr, seq, contentType, version, len(ivAndCiphertext)))
		p.mac.Write(ivAndCiphertext)
		p.mac.Sum(ivAndCiphertext)
	}
	return whole, nil
}

// Open checks and decrypts a GenericBlockCipher fragment.
func (p *cbcProtection) Open(dst []byte, seq uint64, contentType uint8, version uint16, fragment []byte) ([]byte, error) {
	if p.encryptThenMAC {
		return p.openEncryptThenMAC(dst, seq, contentType, version, fragment)
	}
	return p.openMACThenEncrypt(dst, seq, contentType, version, fragment)
}

// openMACThenEncrypt is the RFC 5246 order: decrypt, strip the padding,
// then check the MAC. Everything after decryption is secret-dependent, so
// it runs in constant time (RFC 5246, 6.2.3.2 implementation note; see
// lucky13.go).
func (p *cbcProtection) openMACThenEncrypt(dst []byte, seq uint64, contentType uint8, version uint16, fragment []byte) ([]byte, error) {
	// Public checks on the length only: an IV, whole blocks, and room for
	// the MAC plus at least the padding_length byte.
	if len(fragment) < aesBlockSize || len(fragment)%aesBlockSize != 0 ||
		len(fragment)-aesBlockSize < roundUp(p.macLen+1, aesBlockSize) {
		return nil, ErrBadRecordMAC
	}
	iv, payload := fragment[:aesBlockSize], fragment[aesBlockSize:]
	p.dec.SetIV(iv)
	p.dec.CryptBlocks(payload, payload)

	toRemove, paddingGood := extractPadding(payload, p.macLen)
	n := len(payload) - p.macLen - toRemove
	macGood := p.checkMACThenEncrypt(seq, contentType, version, payload, n)
	// One combined verdict: a distinct "bad padding" outcome is exactly the
	// padding oracle (Vaudenay 2002) that RFC 5246, 6.2.3.2 warns about.
	if paddingGood&macGood != 1 {
		return nil, ErrBadRecordMAC
	}
	whole, out := sliceForAppend(dst, n)
	copy(out, payload[:n])
	return whole, nil
}

// openEncryptThenMAC is the RFC 7366 order: check the MAC over the
// ciphertext first, and decrypt only authentic records. Padding can then
// no longer be an oracle, because an attacker cannot make us decrypt
// anything we did not receive from the real peer.
func (p *cbcProtection) openEncryptThenMAC(dst []byte, seq uint64, contentType uint8, version uint16, fragment []byte) ([]byte, error) {
	encLen := len(fragment) - aesBlockSize - p.macLen
	if encLen < aesBlockSize || encLen%aesBlockSize != 0 {
		return nil, ErrBadRecordMAC
	}
	ivAndCiphertext := fragment[:aesBlockSize+encLen]
	remoteMAC := fragment[aesBlockSize+encLen:]
	p.mac.Reset()
	p.mac.Write(putPseudoHeader(&p.hdr, seq, contentType, version, len(ivAndCiphertext)))
	p.mac.Write(ivAndCiphertext)
	localMAC := p.mac.Sum(p.localMAC[:0])
	if subtle.ConstantTimeCompare(localMAC, remoteMAC) != 1 {
		return nil, ErrBadRecordMAC
	}

	iv, payload := fragment[:aesBlockSize], fragment[aesBlockSize:aesBlockSize+encLen]
	p.dec.SetIV(iv)
	p.dec.CryptBlocks(payload, payload)
	// The record is authentic, so the padding is no longer secret-dependent
	// input from an attacker; still check it, constant time costs nothing.
	toRemove, paddingGood := extractPadding(payload, 0)
	if paddingGood != 1 {
		return nil, ErrBadRecordMAC
	}
	n := len(payload) - toRemove
	whole, out := sliceForAppend(dst, n)
	copy(out, payload[:n])
	return whole, nil
}

// roundUp rounds a up to a multiple of b.
func roundUp(a, b int) int { return (a + b - 1) / b * b }
