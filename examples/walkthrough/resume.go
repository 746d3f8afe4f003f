package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
)

// watchedCache is the server's session ID cache, counting the sessions it
// finds: a resumption the cache did not serve came from the ticket.
type watchedCache struct {
	session.ServerCache
	mu   sync.Mutex
	hits int
}

func (c *watchedCache) Get(ctx context.Context, sessionID []byte, now time.Time) (*session.State, bool) {
	s, ok := c.ServerCache.Get(ctx, sessionID, now)
	if ok {
		c.mu.Lock()
		c.hits++
		c.mu.Unlock()
	}
	return s, ok
}

func (c *watchedCache) found() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

func resumeIntro(mode string) string {
	s := "The client connects again and offers the session of connection 1. "
	switch mode {
	case "id":
		s += "-resume id: the client asks\n" +
			"for no ticket (Config.SessionTicketsDisabled), so it offers the session ID the server\n" +
			"gave in connection 1's ServerHello (RFC 5246, 7.4.1.2)."
	case "ticket":
		s += "-resume ticket: the server\n" +
			"keeps no session cache (Config.SessionIDCacheDisabled), so connection 1's ServerHello\n" +
			"had an empty session_id; the client offers the ticket the server sent in\n" +
			"NewSessionTicket (RFC 5077), with a session ID it makes up (RFC 5077, 3.4)."
	default:
		s += "It holds both: the\n" +
			"session ID of connection 1's ServerHello, and the ticket of its NewSessionTicket\n" +
			"(RFC 5077). It offers the ticket, with a fresh session ID it makes up rather than the\n" +
			"server's (sent in the clear, that would link the two connections; RFC 5077, 3.4).\n" +
			"-resume id or -resume ticket offers one only."
	}
	return s + "\nIf the server takes it, it answers with the same session ID: no Certificate, no key\n" +
		"exchange. The master secret is the session's; the new randoms make new keys. This time\n" +
		"the server sends Finished first."
}

// whichResumption says which mechanism resumed, and why that one.
func whichResumption(st *story) string {
	switch st.mechanism {
	case "":
		return "The server did not resume: a full handshake."
	case "the session ID":
		s := "Resumed by the session ID: the server found it in its session cache (Config.SessionCache),\n" +
			"where connection 1 left the session under that ID. The server keeps the state; the ID\n" +
			"is only its name."
		s += "\nWhy this one: the client asked for no ticket, so the ID was all it could offer."
		return s
	default:
		s := "Resumed by the session ticket (RFC 5077, 3.4): the server opened the ticket with its\n" +
			"ticket key and found the session inside. It keeps no state per client: the client\n" +
			"carries it, sealed with a key only the server (or its fleet) knows. The ServerHello\n" +
			"echoes the session ID the client sent, which is how the client knows the ticket worked."
		if st.opts.resume == "both" {
			s += "\nWhy this one: the client had the session ID too, but a client with a ticket offers the\n" +
				"ticket: opening it needs no lookup, and it works on any server that shares the ticket key.\n" +
				"The server tries a ticket first (checkForResumption, as OpenSSL does; crypto/tls's server\n" +
				"has tickets only), and a ticket that does not open means a full handshake, never a lookup\n" +
				"of the ID: \"If a ticket is presented by the client, the server MUST NOT attempt to use\n" +
				"the Session ID in the ClientHello for stateful session resumption\" (RFC 5077, 3.4)."
		} else {
			s += "\nWhy this one: the server keeps no session cache, so the ticket was the only way."
		}
		return s
	}
}

// unopenableTicket shows what a server does with a ticket it cannot
// open: it changes its ticket key, and the client offers the ticket it
// holds.
func unopenableTicket(n *narrator, st *story, clientConfig, serverConfig *handshake.Config) error {
	var secret [session.TicketKeySize]byte
	random := serverConfig.Rand
	if random == nil {
		random = rand.Reader
	}
	if _, err := io.ReadFull(random, secret[:]); err != nil {
		return err
	}
	now := time.Now()
	if serverConfig.Time != nil {
		now = serverConfig.Time()
	}
	if err := serverConfig.TicketKeys.SetKeys([][session.TicketKeySize]byte{secret}, now); err != nil {
		return err
	}
	n.section("4. A ticket the server cannot open (RFC 5077, 3.4)",
		"The server's ticket key changes (a restart that made a new one, or a key retired after the\n"+
			"ticket lifetime); the client still offers the ticket it holds. The server cannot decrypt it.\n"+
			"\"If the server cannot or does not want to honor the ticket, then it can initiate a full\n"+
			"handshake with the client\" (RFC 5077, 3.4): no alert, no error; it ignores the ticket,\n"+
			"answers without echoing the client's session ID, and runs a full handshake, which ends\n"+
			"with a new ticket under the new key. The messages only, this time:")
	n.order.summaries = true
	defer func() { n.order.summaries = false }()
	client, server, err := connect(clientConfig, serverConfig)
	if err != nil {
		return err
	}
	state := client.ConnectionState()
	st.resumed, st.mechanism = state.DidResume, ""
	n.section("   Handshake complete", fmt.Sprintf("Resumed: %v. A full handshake, and a fresh ticket the client keeps for next time.", state.DidResume))
	return closeBoth(client, server)
}
