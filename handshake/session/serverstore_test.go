package session

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hasPointers reports whether a value of type t holds anything the garbage
// collector would have to follow.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	}
	return true // pointers, slices, strings, maps, interfaces, channels, funcs
}

// TestServerStoreSlotHasNoPointers keeps the cache invisible to the garbage
// collector however full it is: the slots, the map's keys and values and
// the free list hold no pointers (issue 17: a cache of *State made every
// collection walk six objects per session).
func TestServerStoreSlotHasNoPointers(t *testing.T) {
	st := newServerStore(4)
	for _, typ := range []reflect.Type{
		reflect.TypeOf(st.slots).Elem(),
		reflect.TypeOf(st.index).Key(), reflect.TypeOf(st.index).Elem(),
		reflect.TypeOf(st.free).Elem(),
	} {
		assert.False(t, hasPointers(typ), "%v has pointers", typ)
	}
	assert.True(t, hasPointers(reflect.TypeOf(State{})), "the check itself sees pointers")
}

func TestLRUServerCacheRoundTrip(t *testing.T) {
	created := time.Unix(1_700_000_000, 123_456_789)
	inline := &State{Version: 0x0303, CipherSuite: 0xc02f, MasterSecret: bytes.Repeat([]byte{7}, 48),
		ExtendedMasterSecret: true, ServerName: "example.com", CreatedAt: created}
	withClientCert := &State{Version: 0x0303, CipherSuite: 0xc02b, MasterSecret: bytes.Repeat([]byte{8}, 48),
		ServerName: "example.com", PeerCertificates: [][]byte{{1, 2, 3}, {4, 5}}, CreatedAt: created}
	longName := &State{Version: 0x0303, CipherSuite: 0xc02f, MasterSecret: bytes.Repeat([]byte{9}, 48),
		ServerName: strings.Repeat("a", inlineServerName+1), CreatedAt: created}
	noSecret := &State{CreatedAt: created}

	c := NewLRUServerCache(10, time.Hour)
	for i, s := range []*State{inline, withClientCert, longName, noSecret} {
		c.Put(t.Context(), id(i), s)
		got, ok := c.Get(t.Context(), id(i), created)
		require.True(t, ok, "session %d", i)
		assert.Equal(t, s, got, "session %d comes back whole", i)
		assert.NotSame(t, s, got, "a copy, not the caller's State")
		if len(got.MasterSecret) > 0 {
			got.MasterSecret[0] ^= 0xff
			again, _ := c.Get(t.Context(), id(i), created)
			assert.Equal(t, s.MasterSecret, again.MasterSecret, "changing a returned State does not change the cache")
		}
	}
	assert.Len(t, c.entries.heavy, 2, "client certificates and a long name are kept as a State")

	c.Put(t.Context(), id(1), inline) // replacing a heavy entry with an inline one
	assert.Len(t, c.entries.heavy, 1)
	got, ok := c.Get(t.Context(), id(1), created)
	require.True(t, ok)
	assert.Equal(t, inline, got)

	tooLong := bytes.Repeat([]byte{1}, maxSessionIDLen+1)
	c.Put(t.Context(), tooLong, inline)
	_, ok = c.Get(t.Context(), tooLong, created)
	assert.False(t, ok, "a session ID longer than RFC 5246 allows is not stored")
}

// TestServerStoreReusesSlots checks the index-linked LRU list through
// deletes, evictions and reuse of freed slots.
func TestServerStoreReusesSlots(t *testing.T) {
	st := newServerStore(3)
	s := &State{CreatedAt: t0}
	for i := range 3 {
		st.put(id(i), s)
	}
	st.delete(id(1))
	st.put(id(3), s) // reuses 1's slot
	assert.Len(t, st.slots, 3, "a freed slot is reused")
	st.get(id(0))    // order, most recent first: 0, 3, 2
	st.put(id(4), s) // evicts 2
	for i, want := range []bool{true, false, false, true, true} {
		_, ok := st.get(id(i))
		assert.Equal(t, want, ok, "session %d", i)
	}
	assert.Equal(t, 3, st.len())
	var order []string
	for i := st.head; i >= 0; i = st.slots[i].next {
		order = append(order, string(st.slots[i].key.id[:st.slots[i].key.n]))
	}
	assert.Equal(t, []string{"session-04", "session-03", "session-00"}, order, "most recently used first")
	var back []string
	for i := st.tail; i >= 0; i = st.slots[i].prev {
		back = append(back, string(st.slots[i].key.id[:st.slots[i].key.n]))
	}
	assert.Equal(t, []string{"session-00", "session-03", "session-04"}, back, "and the list is linked both ways")
}

// TestServerStoreKeepsEveryField sets each field of State in turn and
// reads the session back: a field added to State that fitsInline does not
// know would be dropped by the inline slot, and this fails until it is
// either copied into the slot or sends the session to the heavy map.
func TestServerStoreKeepsEveryField(t *testing.T) {
	typ := reflect.TypeOf(State{})
	for i := range typ.NumField() {
		field := typ.Field(i)
		t.Run(field.Name, func(t *testing.T) {
			s := &State{Version: 0x0303, CipherSuite: 0xC02F, MasterSecret: make([]byte, 48), CreatedAt: t0}
			v := reflect.ValueOf(s).Elem().Field(i)
			switch want := v.Interface().(type) {
			case uint16:
				v.SetUint(uint64(want) + 1)
			case uint32:
				v.SetUint(uint64(want) + 1)
			case bool:
				v.SetBool(!want)
			case string:
				v.SetString(want + "example.com")
			case []byte:
				v.SetBytes(append(want, 7))
			case [][]byte:
				v.Set(reflect.ValueOf(append(want, []byte{7})))
			case time.Time:
				v.Set(reflect.ValueOf(want.Add(time.Second)))
			default:
				t.Fatalf("State.%s has type %s, which this test does not know how to set", field.Name, field.Type)
			}
			st := newServerStore(1)
			st.put(id(0), s)
			got, ok := st.get(id(0))
			require.True(t, ok)
			assert.True(t, s.CreatedAt.Equal(got.CreatedAt), "CreatedAt %v, want %v", got.CreatedAt, s.CreatedAt)
			got.CreatedAt = s.CreatedAt // the same instant; the slot does not keep the Location
			assert.Equal(t, s, got)
		})
	}
}
