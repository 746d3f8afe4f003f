package cipher

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// Protection seals and opens the fragment of one record. seq is the record's 64-bit
// sequence number, contentType/version the record header fields (they go into the
// additional data / MAC input, RFC 5246 6.2.3.3 / 6.2.3.1).
//
// A Protection holds scratch buffers, so it is used by one goroutine at a
// time (one per direction of a connection).
type Protection interface {
	// Seal appends the protected fragment (what goes on the wire after the 5-byte header) to dst.
	// Must not allocate when cap(dst) suffices (performance target: zero allocs per record).
	// plaintext may overlap the spare capacity of dst; dst's existing
	// contents must not overlap plaintext.
	Seal(dst []byte, seq uint64, contentType uint8, version uint16, plaintext []byte) ([]byte, error)
	// Open appends the plaintext to dst. For in-place decryption pass
	// dst = fragment[:0]: the plaintext is then returned wherever inside
	// fragment it was decrypted, not necessarily at its start (the AEADs
	// leave it behind the explicit nonce rather than move it).
	// Every failure (short record, bad tag, bad padding, bad MAC, wrong length) returns ErrBadRecordMAC, so
	// the peer learns nothing about which check failed.
	// Open decrypts inside fragment, so fragment's contents may be
	// overwritten, whether or not it succeeds.
	Open(dst []byte, seq uint64, contentType uint8, version uint16, fragment []byte) ([]byte, error)
	// MaxOverhead is the most a fragment can grow when sealed (for sizing buffers / the 2^14+2048 limit).
	MaxOverhead() int
}

// ErrBadRecordMAC is the one error Open returns for any record that does
// not authenticate. The record layer turns it into the bad_record_mac alert
// (RFC 5246, 7.2.2), which is also the alert for bad CBC padding: one alert,
// so the peer cannot tell the failures apart (RFC 5246, 6.2.3.2).
var ErrBadRecordMAC = errors.New("cipher: bad record MAC")

// Keys is one direction's share of the key block (RFC 5246, 6.3): the
// client_write_* or the server_write_* values.
type Keys struct {
	MACKey []byte // [client|server]_write_MAC_key; empty for AEAD suites
	Key    []byte // [client|server]_write_key
	IV     []byte // [client|server]_write_IV; empty for CBC suites
}

// NewProtection builds the protection for this suite. encryptThenMAC selects RFC 7366 for CBC suites
// (ignored for AEAD). rand supplies CBC explicit IVs.
//
// The key lengths must match KeyLen, FixedIVLen and MACLen. The keys are
// copied, so the caller may wipe its key block afterwards.
func (s *Suite) NewProtection(k Keys, encryptThenMAC bool, rand io.Reader) (Protection, error) {
	if len(k.Key) != s.KeyLen || len(k.IV) != s.FixedIVLen || len(k.MACKey) != s.MACLen {
		return nil, fmt.Errorf("cipher: %s needs key/IV/MAC key of %d/%d/%d bytes, got %d/%d/%d",
			s.Name, s.KeyLen, s.FixedIVLen, s.MACLen, len(k.Key), len(k.IV), len(k.MACKey))
	}
	switch s.Bulk {
	case BulkAES128GCM, BulkAES256GCM:
		return newGCMProtection(k.Key, k.IV)
	case BulkChaCha20Poly1305:
		aead, err := chacha20poly1305.New(k.Key)
		if err != nil {
			return nil, err
		}
		return newChaChaProtection(aead, k.IV), nil
	case BulkAES128CBC, BulkAES256CBC:
		if rand == nil {
			return nil, errors.New("cipher: CBC suites need a random source for explicit IVs")
		}
		block, err := aes.NewCipher(k.Key)
		if err != nil {
			return nil, err
		}
		var newHash func() hash.Hash
		switch s.MAC {
		case MACSHA1:
			newHash = sha1.New
		case MACSHA256:
			newHash = sha256.New
		case MACSHA384:
			newHash = sha512.New384
		default:
			return nil, fmt.Errorf("cipher: %s: CBC suite without an HMAC", s.Name)
		}
		return newCBCProtection(block, hmac.New(newHash, k.MACKey), encryptThenMAC, rand)
	}
	return nil, fmt.Errorf("cipher: %s: unknown bulk cipher %v", s.Name, s.Bulk)
}

// sliceForAppend grows in by n bytes, reusing in's capacity when it can,
// and returns the whole slice and the n new bytes.
func sliceForAppend(in []byte, n int) (whole, tail []byte) {
	total := len(in) + n
	if cap(in) >= total {
		whole = in[:total]
	} else {
		whole = make([]byte, total)
		copy(whole, in)
	}
	return whole, whole[len(in):]
}

// putPseudoHeader writes seq_num || type || version || length, the 13
// bytes that both the MAC (RFC 5246, 6.2.3.1) and the AEAD additional data
// (RFC 5246, 6.2.3.3) start from. They bind a record to its position in the
// stream and to its header, so records cannot be reordered, replayed or
// relabelled.
func putPseudoHeader(b *[13]byte, seq uint64, contentType uint8, version uint16, length int) []byte {
	binary.BigEndian.PutUint64(b[0:8], seq)
	b[8] = contentType
	binary.BigEndian.PutUint16(b[9:11], version)
	binary.BigEndian.PutUint16(b[11:13], uint16(length))
	return b[:]
}
