package redisfleet

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// FleetKeySize is the size of the secret every member of a fleet shares.
const FleetKeySize = 32

// FleetKey is the secret every member of a fleet shares and Redis never
// sees: it encrypts and authenticates what the fleet keeps in Redis (the
// sessions and the ticket key ring), so that reading Redis, or writing to
// it, gives nobody a master secret or a way to plant one.
type FleetKey [FleetKeySize]byte

// ParseFleetKey reads a key written as 64 hex digits (surrounding white
// space is ignored): `openssl rand -hex 32 > fleet.key` makes one.
func ParseFleetKey(text []byte) (FleetKey, error) {
	var key FleetKey
	digits := bytes.TrimSpace(text)
	if hex.DecodedLen(len(digits)) != FleetKeySize {
		return key, fmt.Errorf("fleet key: want %d hex digits, got %d", 2*FleetKeySize, len(digits))
	}
	if _, err := hex.Decode(key[:], digits); err != nil {
		return key, fmt.Errorf("fleet key: %w", err)
	}
	return key, nil
}

// LoadFleetKey reads a fleet key file (see ParseFleetKey).
func LoadFleetKey(file string) (FleetKey, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return FleetKey{}, err
	}
	return ParseFleetKey(text)
}

// Purposes of the keys derived from a FleetKey: one key per kind of value,
// so that a value of one kind can never be opened as the other.
const (
	purposeSessions   = "glasstls fleet session cache"
	purposeTicketRing = "glasstls fleet ticket key ring"
)

// sealedFormat is the first byte of every value the fleet writes to Redis.
// It is authenticated too, so a later format cannot be misread as this one.
const sealedFormat byte = 1

// box seals values for Redis with AES-256-GCM under a key derived from the
// fleet key for one purpose:
//
//	struct {
//	    uint8  format;            /* sealedFormat */
//	    opaque nonce[12];         /* random per value */
//	    opaque ciphertext<..>;    /* AES-256-GCM(plaintext), tag appended,
//	                                 additional data: format || ad */
//	} SealedValue;
//
// ad binds the value to where it belongs (a session's ID, the ring's key
// name): a value copied under another name does not open.
type box struct {
	aead cipher.AEAD
}

func newBox(key FleetKey, purpose string) (*box, error) {
	// RFC 5869: HKDF-Expand with the purpose as info gives independent
	// keys from one secret (the fleet key is already uniformly random, so
	// it serves as the pseudorandom key; Extract adds nothing but costs
	// nothing either).
	aesKey, err := hkdf.Key(sha256.New, key[:], nil, purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &box{aead: aead}, nil
}

func (b *box) additionalData(ad []byte) []byte {
	return append([]byte{sealedFormat}, ad...)
}

// seal encrypts plaintext bound to ad.
func (b *box) seal(rand io.Reader, plaintext, ad []byte) ([]byte, error) {
	nonceSize := b.aead.NonceSize()
	value := make([]byte, 1+nonceSize, 1+nonceSize+len(plaintext)+b.aead.Overhead())
	value[0] = sealedFormat
	if _, err := io.ReadFull(rand, value[1:]); err != nil {
		return nil, err
	}
	return b.aead.Seal(value, value[1:], plaintext, b.additionalData(ad)), nil
}

// errUnsealed is what open returns for a value that is not ours: another
// format, a different fleet key, changed bytes, or a copy under another name.
var errUnsealed = errors.New("redisfleet: value does not open with the fleet key")

// open decrypts what seal wrote for the same ad.
func (b *box) open(value, ad []byte) ([]byte, error) {
	nonceSize := b.aead.NonceSize()
	if len(value) < 1+nonceSize+b.aead.Overhead() || value[0] != sealedFormat {
		return nil, errUnsealed
	}
	plaintext, err := b.aead.Open(nil, value[1:1+nonceSize], value[1+nonceSize:], b.additionalData(ad))
	if err != nil {
		return nil, errUnsealed
	}
	return plaintext, nil
}
