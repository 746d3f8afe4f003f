package handshake

import (
	"time"

	"github.com/glasstls/glasstls/handshake/session"
)

// serverSessionDefaults are the session cache and ticket keys a server
// Config makes for itself when none are given: they must outlive one
// connection, so they live with the Config (there is no package state).
type serverSessionDefaults struct {
	cache      session.ServerCache
	ticketKeys *session.TicketKeys
}

// serverSessions returns the Config's session ID cache and ticket keys,
// making the defaults on first use. Two connections racing here agree on
// one set: CompareAndSwap lets only the first one in.
func (c *Config) serverSessions() *serverSessionDefaults {
	if d, ok := c.resumption.Load().(*serverSessionDefaults); ok {
		return d
	}
	d := &serverSessionDefaults{cache: c.SessionCache, ticketKeys: c.TicketKeys}
	if d.cache == nil {
		d.cache = session.NewLRUServerCache(c.SessionCacheSize, c.sessionIDLifetime())
	}
	if d.ticketKeys == nil {
		d.ticketKeys = session.NewTicketKeys(0, c.ticketLifetime())
	}
	if c.resumption.CompareAndSwap(nil, d) {
		return d
	}
	return c.resumption.Load().(*serverSessionDefaults)
}

func (c *Config) sessionIDLifetime() time.Duration {
	if c.SessionIDLifetime > 0 {
		return c.SessionIDLifetime
	}
	return session.DefaultLifetime
}

func (c *Config) ticketLifetime() time.Duration {
	if c.TicketKeys != nil {
		return c.TicketKeys.Lifetime()
	}
	if c.TicketLifetime > 0 {
		return c.TicketLifetime
	}
	return session.DefaultLifetime
}

// SetTicketKeys gives a server the ticket keys of a fleet: each is a
// 32-byte secret shared by every server, the first seals new tickets and
// the rest only open old ones. Automatic rotation stops; the fleet rotates
// by calling SetTicketKeys again with a new secret first. It may be called
// while the Config is in use.
func (c *Config) SetTicketKeys(keys [][session.TicketKeySize]byte) error {
	return c.serverSessions().ticketKeys.SetKeys(keys, c.now())
}
