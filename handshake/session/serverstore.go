package session

import (
	"sync"
	"time"
)

// serverStore is the storage behind LRUServerCache: a bounded map from
// session ID to session that forgets the least recently used first.
//
// Performance: a busy server's cache is full (tens of thousands of
// sessions) and lives for the whole process, so the garbage collector would
// walk it on every cycle: with a *State, its master secret, its server name,
// a list element and a string key, that was six objects per session, and
// resumption slowed as the cache filled (issue 17). Here a session that has
// only the fields a server usually keeps (no client certificate chain, a
// short server name, no PSK identity) is copied into a slot with no pointers in it, slots
// sit in one slice, the LRU list links them by index and the map holds
// fixed-size keys and indexes: none of it has to be scanned, however full.
// A session that does not fit (client certificates) keeps its *State, in
// a side map. Get hands out a fresh copy, so a caller never shares a State
// with the cache.
type serverStore struct {
	mu       sync.Mutex
	capacity int
	index    map[sessionKey]int32 // session ID -> slot
	slots    []slot               // grows up to capacity, never shrinks
	free     []int32              // slots of deleted entries, for reuse
	heavy    map[int32]*State     // the sessions that do not fit their slot
	// head is the most recently used slot, tail the least; -1 when empty.
	head, tail int32
}

// maxSessionIDLen is the longest session ID (RFC 5246, 7.4.1.2: "opaque
// SessionID<0..32>"). A longer one is never stored.
const maxSessionIDLen = 32

// sessionKey is a session ID as a fixed-size, pointer-free map key.
type sessionKey struct {
	n  uint8
	id [maxSessionIDLen]byte
}

func keyOf(sessionID []byte) (sessionKey, bool) {
	var k sessionKey
	if len(sessionID) > maxSessionIDLen {
		return k, false
	}
	k.n = uint8(copy(k.id[:], sessionID))
	return k, true
}

// Limits of a session stored inline in its slot.
const (
	inlineMasterSecret = 48 // RFC 5246, 8.1: the master secret is 48 bytes
	inlineServerName   = 64 // most host names; a longer one goes to heavy
)

// slot is one cache entry. It must hold no pointers (TestServerStoreSlotHasNoPointers).
type slot struct {
	key        sessionKey
	prev, next int32 // towards head, towards tail; -1 at the ends
	isHeavy    bool  // the session is in serverStore.heavy

	version, cipherSuite uint16
	extendedMasterSecret bool
	verified             bool
	masterSecretLen      uint8
	serverNameLen        uint8
	createdAt            int64 // Unix nanoseconds
	masterSecret         [inlineMasterSecret]byte
	serverName           [inlineServerName]byte
}

func newServerStore(capacity int) *serverStore {
	if capacity < 1 {
		capacity = 1
	}
	return &serverStore{capacity: capacity, index: make(map[sessionKey]int32), heavy: make(map[int32]*State), head: -1, tail: -1}
}

// fitsInline reports whether s can live in a slot without losing anything.
func fitsInline(s *State) bool {
	return len(s.MasterSecret) <= inlineMasterSecret && len(s.ServerName) <= inlineServerName &&
		len(s.PeerCertificates) == 0 && len(s.OCSPResponse) == 0 && len(s.SessionID) == 0 &&
		len(s.Ticket) == 0 && s.TicketLifetimeHint == 0 && s.PSKIdentity == "" &&
		time.Unix(0, s.CreatedAt.UnixNano()).Equal(s.CreatedAt) // within int64 nanoseconds of 1970
}

// fill copies s into the slot, or marks it heavy.
func (e *slot) fill(s *State) {
	*e = slot{key: e.key, prev: e.prev, next: e.next}
	if !fitsInline(s) {
		e.isHeavy = true
		return
	}
	e.version, e.cipherSuite, e.extendedMasterSecret, e.verified = s.Version, s.CipherSuite, s.ExtendedMasterSecret, s.Verified
	e.masterSecretLen = uint8(copy(e.masterSecret[:], s.MasterSecret))
	e.serverNameLen = uint8(copy(e.serverName[:], s.ServerName))
	e.createdAt = s.CreatedAt.UnixNano()
}

// state rebuilds the session of an inline slot.
func (e *slot) state() *State {
	s := &State{
		Version:              e.version,
		CipherSuite:          e.cipherSuite,
		ExtendedMasterSecret: e.extendedMasterSecret,
		Verified:             e.verified,
		ServerName:           string(e.serverName[:e.serverNameLen]),
		CreatedAt:            time.Unix(0, e.createdAt), // the same instant; no monotonic reading
	}
	if e.masterSecretLen > 0 {
		s.MasterSecret = append([]byte(nil), e.masterSecret[:e.masterSecretLen]...)
	}
	return s
}

func (st *serverStore) get(sessionID []byte) (*State, bool) {
	key, ok := keyOf(sessionID)
	if !ok {
		return nil, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	i, ok := st.index[key]
	if !ok {
		return nil, false
	}
	st.moveToFront(i)
	if st.slots[i].isHeavy {
		return st.heavy[i].clone(), true
	}
	return st.slots[i].state(), true
}

func (st *serverStore) put(sessionID []byte, s *State) {
	key, ok := keyOf(sessionID)
	if !ok {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	i, ok := st.index[key]
	if ok {
		st.moveToFront(i)
	} else {
		if len(st.index) >= st.capacity {
			st.removeLocked(st.tail)
		}
		i = st.newSlot()
		st.slots[i].key = key
		st.index[key] = i
		st.pushFront(i)
	}
	delete(st.heavy, i)
	st.slots[i].fill(s)
	if st.slots[i].isHeavy {
		st.heavy[i] = s.clone()
	}
}

func (st *serverStore) delete(sessionID []byte) {
	key, ok := keyOf(sessionID)
	if !ok {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if i, ok := st.index[key]; ok {
		st.removeLocked(i)
	}
}

func (st *serverStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.index)
}

func (st *serverStore) newSlot() int32 {
	if n := len(st.free); n > 0 {
		i := st.free[n-1]
		st.free = st.free[:n-1]
		return i
	}
	st.slots = append(st.slots, slot{})
	return int32(len(st.slots) - 1)
}

func (st *serverStore) removeLocked(i int32) {
	st.unlink(i)
	delete(st.index, st.slots[i].key)
	delete(st.heavy, i)
	st.slots[i] = slot{} // the master secret does not linger
	st.free = append(st.free, i)
}

func (st *serverStore) pushFront(i int32) {
	e := &st.slots[i]
	e.prev, e.next = -1, st.head
	if st.head >= 0 {
		st.slots[st.head].prev = i
	}
	st.head = i
	if st.tail < 0 {
		st.tail = i
	}
}

func (st *serverStore) unlink(i int32) {
	e := &st.slots[i]
	if e.prev >= 0 {
		st.slots[e.prev].next = e.next
	} else {
		st.head = e.next
	}
	if e.next >= 0 {
		st.slots[e.next].prev = e.prev
	} else {
		st.tail = e.prev
	}
	e.prev, e.next = -1, -1
}

func (st *serverStore) moveToFront(i int32) {
	if st.head == i {
		return
	}
	st.unlink(i)
	st.pushFront(i)
}

// clone is a deep copy of s.
func (s *State) clone() *State {
	c := *s
	c.MasterSecret = cloneBytes(s.MasterSecret)
	c.OCSPResponse = cloneBytes(s.OCSPResponse)
	c.SessionID = cloneBytes(s.SessionID)
	c.Ticket = cloneBytes(s.Ticket)
	if s.PeerCertificates != nil {
		c.PeerCertificates = make([][]byte, len(s.PeerCertificates))
		for i, cert := range s.PeerCertificates {
			c.PeerCertificates[i] = cloneBytes(cert)
		}
	}
	return &c
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
