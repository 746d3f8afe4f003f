package session

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha512"
	"crypto/subtle"
	"errors"
	"io"
	"sync"
	"time"
)

// Ticket layout, after RFC 5077, 4 (which recommends key_name, IV,
// encrypted_state and a MAC; an AEAD does the last three in one):
//
//	struct {
//	    opaque key_name[16];     /* which ticket key sealed it */
//	    opaque nonce[12];        /* AES-GCM nonce, random per ticket */
//	    opaque encrypted_state<0..2^16-1>; /* AES-256-GCM(State.Marshal()),
//	                                          tag appended, key_name as
//	                                          additional data */
//	} ticket;
const (
	ticketKeyNameLen = 16
	ticketNonceLen   = 12
	ticketOverhead   = ticketKeyNameLen + ticketNonceLen + 16 // + GCM tag
)

// DefaultTicketRotation is how long one ticket key seals new tickets
// before a fresh one takes over (crypto/tls rotates daily too). The old key
// stays, for opening only, until every ticket it sealed has expired.
const DefaultTicketRotation = 24 * time.Hour

// TicketKeySize is the size of the secret each ticket key is derived from.
const TicketKeySize = 32

// ticketKey is one key: its public name and its AES-256-GCM.
type ticketKey struct {
	name    [ticketKeyNameLen]byte
	aead    cipher.AEAD
	created time.Time
}

// newTicketKey derives the key name and the AES-256 key from a 32-byte
// secret with SHA-512, so that a fleet only has to share the secret.
func newTicketKey(secret [TicketKeySize]byte, created time.Time) (ticketKey, error) {
	sum := sha512.Sum512(secret[:])
	k := ticketKey{name: TicketKeyName(secret), created: created}
	block, err := aes.NewCipher(sum[ticketKeyNameLen : ticketKeyNameLen+32])
	if err != nil {
		return ticketKey{}, err
	}
	k.aead, err = cipher.NewGCM(block)
	return k, err
}

// TicketKeyName is the public name of the ticket key derived from secret:
// the first 16 bytes of every ticket it seals (RFC 5077, 4's key_name), so
// an operator can tell from a ticket, or a log line, which key sealed it.
func TicketKeyName(secret [TicketKeySize]byte) [ticketKeyNameLen]byte {
	sum := sha512.Sum512(secret[:])
	return [ticketKeyNameLen]byte(sum[:ticketKeyNameLen])
}

// TicketKeys seals and opens session tickets (RFC 5077). The first key
// seals; the others only open tickets they sealed earlier. Unless SetKeys
// fixed the keys, Seal makes a new key every rotation period and forgets a
// key once no ticket it sealed can still be within the lifetime. Safe for
// concurrent use; randomness and time are passed in (from the Config).
type TicketKeys struct {
	rotation time.Duration
	lifetime time.Duration

	mu    sync.Mutex
	keys  []ticketKey // keys[0] seals
	fixed bool        // SetKeys was called: no automatic rotation
}

// NewTicketKeys returns an empty key set that makes its first key on the
// first Seal, rotates every rotation (DefaultTicketRotation if <= 0) and
// accepts tickets for lifetime (DefaultLifetime if <= 0).
func NewTicketKeys(rotation, lifetime time.Duration) *TicketKeys {
	if rotation <= 0 {
		rotation = DefaultTicketRotation
	}
	if lifetime <= 0 {
		lifetime = DefaultLifetime
	}
	return &TicketKeys{rotation: rotation, lifetime: lifetime}
}

// Lifetime is how long a ticket is accepted after its session's full
// handshake; servers send it as the ticket_lifetime_hint (RFC 5077, 3.3).
func (k *TicketKeys) Lifetime() time.Duration { return k.lifetime }

// SetKeys replaces the keys with ones derived from secrets, the first to
// seal and the rest to open only, and stops automatic rotation: a fleet of
// servers sharing secrets rotates them itself, by calling SetKeys again
// with the new secret first and the previous ones after it.
func (k *TicketKeys) SetKeys(secrets [][TicketKeySize]byte, now time.Time) error {
	if len(secrets) == 0 {
		return errors.New("session: SetKeys needs at least one key")
	}
	keys := make([]ticketKey, 0, len(secrets))
	for _, secret := range secrets {
		key, err := newTicketKey(secret, now)
		if err != nil {
			return err
		}
		keys = append(keys, key)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys, k.fixed = keys, true
	return nil
}

// rotateLocked makes a new sealing key when the current one is older than
// the rotation period, and drops keys that can no longer open a live
// ticket: one that stopped sealing more than a lifetime ago.
func (k *TicketKeys) rotateLocked(rand io.Reader, now time.Time) error {
	if k.fixed {
		return nil
	}
	if len(k.keys) == 0 || now.Sub(k.keys[0].created) >= k.rotation {
		var secret [TicketKeySize]byte
		if _, err := io.ReadFull(rand, secret[:]); err != nil {
			return err
		}
		key, err := newTicketKey(secret, now)
		if err != nil {
			return err
		}
		k.keys = append([]ticketKey{key}, k.keys...)
	}
	// keys[i] stopped sealing when keys[i-1] was made.
	for i := 1; i < len(k.keys); i++ {
		if now.Sub(k.keys[i-1].created) > k.lifetime+maxClockSkew {
			k.keys = k.keys[:i]
			break
		}
	}
	return nil
}

// Seal encrypts s (its client-only fields left out) into a ticket with the
// current key, making or rotating keys first if due.
func (k *TicketKeys) Seal(rand io.Reader, now time.Time, s *State) ([]byte, error) {
	serverState := *s
	serverState.SessionID, serverState.Ticket, serverState.TicketLifetimeHint = nil, nil, 0
	plaintext, err := serverState.Marshal()
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	err = k.rotateLocked(rand, now)
	var key ticketKey
	if err == nil {
		key = k.keys[0]
	}
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}

	ticket := make([]byte, ticketKeyNameLen+ticketNonceLen, ticketOverhead+len(plaintext))
	copy(ticket, key.name[:])
	nonce := ticket[ticketKeyNameLen:]
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return nil, err
	}
	return key.aead.Seal(ticket, nonce, plaintext, key.name[:]), nil
}

// SealedByCurrentKey reports whether ticket was sealed by the key Seal
// would use at now: the newest key, not yet due for rotation. A server
// that resumes from such a ticket need not send a new one; a ticket
// sealed by an older key is worth replacing, so that clients move to the
// current key before the old one retires.
func (k *TicketKeys) SealedByCurrentKey(now time.Time, ticket []byte) bool {
	if len(ticket) < ticketKeyNameLen {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.keys) == 0 || (!k.fixed && now.Sub(k.keys[0].created) >= k.rotation) {
		return false
	}
	return subtle.ConstantTimeCompare(k.keys[0].name[:], ticket[:ticketKeyNameLen]) == 1
}

// Open decrypts a ticket and returns its session, or false if no key of
// ours sealed it, it was changed, it does not decode, or its session is
// older than the lifetime at now. The caller then does a full handshake:
// a bad ticket is never an error (RFC 5077, 3.4).
func (k *TicketKeys) Open(now time.Time, ticket []byte) (*State, bool) {
	if len(ticket) < ticketOverhead {
		return nil, false
	}
	name := ticket[:ticketKeyNameLen]
	nonce := ticket[ticketKeyNameLen : ticketKeyNameLen+ticketNonceLen]
	ciphertext := ticket[ticketKeyNameLen+ticketNonceLen:]

	var key *ticketKey
	k.mu.Lock()
	for i := range k.keys {
		if subtle.ConstantTimeCompare(k.keys[i].name[:], name) == 1 {
			found := k.keys[i]
			key = &found
			break
		}
	}
	k.mu.Unlock()
	if key == nil {
		return nil, false
	}
	plaintext, err := key.aead.Open(nil, nonce, ciphertext, name)
	if err != nil {
		return nil, false
	}
	s, err := Unmarshal(plaintext)
	if err != nil || !Fresh(s, now, k.lifetime) {
		return nil, false
	}
	return s, true
}
