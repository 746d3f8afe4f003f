package handshake

import (
	"crypto/x509"
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/glasstls/glasstls/record"
)

// configShared is what the connections of one Config share to save memory
// and work (performance, not protocol: a connection behaves the same
// without it). It lives with the Config, like the session cache, because
// there is no package state: dropping the Config drops it. So make one
// Config (or Clone one) for many connections: connections from separate
// Configs share nothing, and each keeps its own spare buffers until the
// garbage collector frees them.
type configShared struct {
	// recordBuffers lends the record layer its 18 KiB buffers while a
	// connection reads or writes (record/buffers.go), so an idle connection
	// holds none and a new one reuses an old one's.
	recordBuffers *record.BufferPool
	// certificates maps a certificate's DER to its parsed form while some
	// connection still holds it: parsing costs more than a signature check
	// on the client, and a client that connects to the same server again
	// and again would otherwise keep one copy per connection. crypto/tls
	// caches parsed certificates the same way.
	certificates certificateCache
	// certificatesChecked is checkCertificates's verdict on the Config's
	// own certificates (config_check.go), so that it runs once, not per
	// handshake.
	certificatesChecked atomic.Pointer[certificatesCheck]
}

// sharedState returns the Config's configShared, making it on first use. Two
// connections racing here agree on one: CompareAndSwap lets only the first
// one in.
func (c *Config) sharedState() *configShared {
	if s, ok := c.shared.Load().(*configShared); ok {
		return s
	}
	s := &configShared{recordBuffers: record.NewBufferPool()}
	if c.shared.CompareAndSwap(nil, s) {
		return s
	}
	return c.shared.Load().(*configShared)
}

// certificateCache holds weak pointers, so that a certificate stays cached
// exactly as long as a connection (or the caller) holds it; a cleanup
// removes its entry once it is collected.
type certificateCache struct {
	mu      sync.Mutex
	entries map[string]weak.Pointer[x509.Certificate]
}

// parse returns the certificate encoded by der, from the cache if a live
// copy is there.
func (cc *certificateCache) parse(der []byte) (*x509.Certificate, error) {
	cc.mu.Lock()
	cached := cc.entries[string(der)].Value() // the zero weak.Pointer gives nil
	cc.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	cert, err := parseCertificate(der) // rsapss.go: x509.ParseCertificate, and RSASSA-PSS keys
	if err != nil {
		return nil, err
	}
	key := string(der)
	wp := weak.Make(cert)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if other := cc.entries[key].Value(); other != nil {
		return other, nil // another connection parsed it meanwhile
	}
	if cc.entries == nil {
		cc.entries = make(map[string]weak.Pointer[x509.Certificate])
	}
	cc.entries[key] = wp
	runtime.AddCleanup(cert, cc.forget, cacheEntry{key, wp})
	return cert, nil
}

// cacheEntry names one entry for forget.
type cacheEntry struct {
	key string
	wp  weak.Pointer[x509.Certificate]
}

// forget removes e once its certificate is collected, unless a newer
// parse of the same DER has replaced it.
func (cc *certificateCache) forget(e cacheEntry) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.entries[e.key] == e.wp {
		delete(cc.entries, e.key)
	}
}
