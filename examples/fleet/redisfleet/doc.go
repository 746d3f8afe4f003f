// Package redisfleet lets the servers of a fleet resume each other's TLS
// sessions through Redis: the session ID cache (RFC 5246, 7.4.1.2) as a
// session.ServerCache in Redis (SessionCache), and the session ticket keys
// (RFC 5077, 4: how servers share them is left to them) as one ring in
// Redis that every member polls (TicketSync) and an operator rotates
// (Rotate, `fleet rotate-ticket-key`).
//
// Redis is trusted with availability only. What the fleet writes there is
// sealed with keys derived from a FleetKey that the members share and Redis
// never sees, so a reader of Redis learns no master secret and no ticket
// key, and a writer cannot plant a session. And Redis being slow or gone
// costs full handshakes, never failed ones: each call is bounded by a
// short timeout and a failure is a miss.
//
//	member A ─┐                          ┌─ glasstls:sess:<id>   sealed session, TTL = lifetime
//	member B ─┼─ go-redis UniversalClient ┤
//	member C ─┘  (single, Sentinel, Cluster) └─ glasstls:ticketkeys  sealed ring, newest key first
//
// It lives in examples/fleet, a module of its own, so that the library's
// go.mod has no Redis client in it.
package redisfleet
