package handshake

import (
	"bytes"
	"crypto/x509"
	"slices"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/record"
)

// maxClientSessionAge bounds how long a client offers a session whose
// server gave no lifetime hint: RFC 5246, F.1.4 suggests 24 hours at most.
const maxClientSessionAge = 24 * time.Hour

// resumeHandshake runs the abbreviated handshake of RFC 5246, 7.3
// (Figure 2) from the client's side, once the server echoed the session ID
// we offered. The server speaks Finished first; we answer.
//
//	ClientHello (session ID and/or ticket)  -->
//	                   <--  ServerHello (the same session ID),
//	                        NewSessionTicket*, [ChangeCipherSpec], Finished
//	[ChangeCipherSpec], Finished  -->
func (hs *clientHandshakeState) resumeHandshake() error {
	c := hs.c
	masterSecret := hs.session.MasterSecret
	c.traceValue(valueResumedMasterSecret, masterSecret)
	// Logged before anything can fail, as in the full handshake (client.go).
	if err := c.writeKeyLog(hs.clientRandom, masterSecret); err != nil {
		return err
	}

	// New randoms, old master secret: fresh keys for this connection (6.3).
	if err := c.establishKeys(hs.suite, masterSecret, hs.clientRandom, hs.serverRandom, hs.useEncryptThenMAC); err != nil {
		return err
	}
	if err := hs.readNewSessionTicket(); err != nil {
		return err
	}
	if err := c.readChangeCipherSpec(); err != nil {
		return err
	}
	if err := hs.readFinished(masterSecret); err != nil {
		return err
	}
	serverCertificates := hs.sessionCertificates // parsed and verified again by sessionStillUsable
	hs.ocspResponse = hs.session.OCSPResponse
	hs.verifiedChains = hs.sessionVerifiedChains
	// The application's policy sees the server's identity as on a full
	// handshake, as the server's does (a policy may have changed since the
	// session was made, e.g. a pinned key rotated out).
	if err := hs.runVerifyConnection(serverCertificates, true); err != nil {
		return err
	}

	c.rec.SetBuffering(true)
	if err := c.rec.ChangeWriteCipherSpec(); err != nil {
		return err
	}
	if err := hs.sendFinished(masterSecret); err != nil {
		return err
	}
	c.rec.SetBuffering(false)
	if err := c.rec.Flush(); err != nil {
		return err
	}
	hs.saveSession(masterSecret)
	c.state = hs.connectionState(serverCertificates, true)
	return nil
}

// offerSession puts the cached session for this server, if there is one we
// may still use, into the ClientHello: its session ID, its ticket, or both.
// With a ClientSessionCache the client also asks for a ticket (RFC 5077, 3.2).
func (hs *clientHandshakeState) offerSession(hello *wire.ClientHello) error {
	c := hs.c
	cache := c.config.ClientSessionCache
	if cache == nil {
		return nil
	}
	hello.TicketSupported = !c.config.SessionTicketsDisabled
	hs.sessionCacheKey = hs.serverName
	if hs.sessionCacheKey == "" {
		hs.sessionCacheKey = c.conn.RemoteAddr().String()
	}
	s, ok := cache.Get(hs.sessionCacheKey)
	if !ok || s == nil {
		return nil
	}
	if !hs.sessionStillUsable(s, hello) {
		return nil
	}

	if len(s.Ticket) > 0 && hello.TicketSupported {
		hello.SessionTicket = s.Ticket
		// RFC 5077, 3.4: a client offering a ticket may send a session ID
		// of its own making; the server echoes it if it accepts the
		// ticket. A fresh random one each time, never the ID the server
		// once gave: sent in the clear, that would link this connection
		// to the one that made the session (crypto/tls does the same).
		sessionID, err := c.randomBytes(32)
		if err != nil {
			return err
		}
		hello.SessionID = sessionID
	} else {
		hello.SessionID = s.SessionID
	}
	if len(hello.SessionID) > 0 {
		hs.session = s
	}
	return nil
}

// sessionStillUsable reports whether a cached session may be offered: same
// version, a suite we still offer, not too old, no step down from the
// extended master secret (RFC 7627, 5.4: sessions without it "SHOULD NOT"
// be resumed when it is on offer), made for this server name, and a
// server chain that would pass verification now.
func (hs *clientHandshakeState) sessionStillUsable(s *session.State, hello *wire.ClientHello) bool {
	maxAge := maxClientSessionAge
	if s.TicketLifetimeHint > 0 && len(s.Ticket) > 0 {
		maxAge = min(maxAge, time.Duration(s.TicketLifetimeHint)*time.Second)
	}
	if s.Version != VersionTLS12 ||
		!slices.Contains(hello.CipherSuites, s.CipherSuite) ||
		!session.Fresh(s, hs.c.config.now(), maxAge) ||
		(!s.ExtendedMasterSecret && hello.ExtendedMasterSecret) {
		return false
	}
	// The cache is keyed by name, but a cache is the application's code
	// and Clones share one: the session must be this name's.
	if s.ServerName != hs.serverName {
		return false
	}
	// A PSK session was authenticated by the key of its identity, not by a
	// certificate: it is offered only while we still use that identity (a
	// Config with another identity, or none, makes a full handshake).
	if suite, ok := cipher.SuiteByID(s.CipherSuite); !ok || (suite.Auth == cipher.AuthPSK) != (s.PSKIdentity != "") {
		return false
	}
	if s.PSKIdentity != "" {
		return s.PSKIdentity == hs.c.config.PSKIdentity && len(hs.c.config.PSK) > 0
	}
	certificates, err := hs.c.parseCertificates(s.PeerCertificates)
	if err != nil || len(certificates) == 0 {
		return false
	}
	// A resumption must not outlive the authentication it rests on: a
	// certificate may have expired since (crypto/tls makes the same check).
	now := hs.c.config.now()
	for _, cert := range certificates {
		if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
			return false
		}
	}
	if !hs.c.config.InsecureSkipVerify {
		// RFC 5246, 7.4.2 authenticates the server by its chain; the
		// abbreviated handshake sends none, so it rests on the session's.
		// A session an InsecureSkipVerify Config made (Clones share the
		// cache) was never verified: it is not offered. And the stored
		// chain is verified again, against today's RootCAs, clock and
		// ServerName, as a full handshake would: a session made under
		// other roots or for another name does not slip through.
		if !s.Verified {
			return false
		}
		chains, err := verifyPeerChain(hs.c.config, certificates, hs.serverName, x509.ExtKeyUsageServerAuth, hs.c.config.RootCAs)
		if err != nil {
			return false
		}
		hs.sessionVerifiedChains = chains
	}
	hs.sessionCertificates = certificates
	return true
}

// checkResumption learns from the ServerHello whether the server resumed
// the offered session: it echoes our session ID (RFC 5246, 7.4.1.3; RFC
// 5077, 3.4); hs.resumed records the answer. A resumed session must keep
// its suite and its extended master secret (RFC 7627, 5.3: abort
// otherwise). A refused session is dropped from the cache.
func (hs *clientHandshakeState) checkResumption() error {
	if hs.session == nil {
		return nil
	}
	serverHello := hs.serverHello
	if len(serverHello.SessionID) == 0 || !bytes.Equal(serverHello.SessionID, hs.clientHello.SessionID) {
		hs.forgetSession()
		return nil
	}
	if serverHello.CipherSuite != hs.session.CipherSuite {
		return record.Errorf(record.AlertIllegalParameter, "server resumed a session with cipher suite %#04x, not the session's %#04x", serverHello.CipherSuite, hs.session.CipherSuite)
	}
	if serverHello.ExtendedMasterSecret != hs.session.ExtendedMasterSecret {
		return record.Errorf(record.AlertHandshakeFailure, "server resumed a session with extended_master_secret %v, the session had %v (RFC 7627, 5.3)", serverHello.ExtendedMasterSecret, hs.session.ExtendedMasterSecret)
	}
	hs.resumed = true
	return nil
}

// readNewSessionTicket reads the ticket a server promised in its ServerHello
// (RFC 5077, 3.3); it comes just before the server's ChangeCipherSpec.
func (hs *clientHandshakeState) readNewSessionTicket() error {
	if !hs.serverHello.TicketSupported {
		return nil
	}
	newSessionTicket, err := expectMessage[*wire.NewSessionTicket](hs.c, &hs.transcript, "NewSessionTicket")
	if err != nil {
		return err
	}
	hs.newSessionTicket = newSessionTicket
	return nil
}

// saveSession keeps the session for next time, once the server's Finished
// proved the master secret shared: a new one after a full handshake, or the
// resumed one with the fresh ticket, if the server sent one.
func (hs *clientHandshakeState) saveSession(masterSecret []byte) {
	c := hs.c
	cache := c.config.ClientSessionCache
	if cache == nil {
		return
	}
	var s session.State
	if hs.resumed {
		s = *hs.session
	} else {
		var serverCertificates [][]byte
		for _, cert := range hs.serverCertificates {
			serverCertificates = append(serverCertificates, cert.Raw)
		}
		s = session.State{
			Version:              VersionTLS12,
			CipherSuite:          hs.suite.ID,
			MasterSecret:         masterSecret,
			ExtendedMasterSecret: hs.useExtendedMasterSecret,
			ServerName:           hs.serverName,
			PeerCertificates:     serverCertificates,
			OCSPResponse:         hs.ocspResponse,
			CreatedAt:            c.config.now(),
			SessionID:            hs.serverHello.SessionID,
			Verified:             len(hs.verifiedChains) > 0,
		}
		if hs.suite.Auth == cipher.AuthPSK {
			s.PSKIdentity = c.config.PSKIdentity // the identity the key was sent under
		}
	}
	// An empty ticket means the server changed its mind (RFC 5077, 3.3).
	// A ticket too long to go into our ClientHello is refused: kept, it
	// would make every later ClientHello to this server fail to build.
	if t := hs.newSessionTicket; t != nil && len(t.Ticket) > 0 {
		if ticketFits(hs.clientHello, t.Ticket) {
			s.Ticket, s.TicketLifetimeHint = t.Ticket, t.LifetimeHint
		} else {
			s.Ticket, s.TicketLifetimeHint = nil, 0
		}
	}
	if len(s.SessionID) == 0 && len(s.Ticket) == 0 {
		return // nothing to resume with
	}
	cache.Put(hs.sessionCacheKey, &s)
}

// forgetSession takes the offered session out of the cache: the server
// refused it, or the resumption failed. RFC 5246, 7.2: after a fatal
// alert "the session identifier MUST be invalidated, preventing the failed
// session from being used to establish new connections".
func (hs *clientHandshakeState) forgetSession() {
	if hs.session != nil {
		hs.c.config.ClientSessionCache.Put(hs.sessionCacheKey, nil)
	}
}

// ticketFits reports whether a ClientHello like hello can carry ticket.
// RFC 5077, 3.3 lets a server send a ticket of up to 2^16-1 bytes, but the
// ClientHello's whole extensions block is <0..2^16-1> too (RFC 5246,
// 7.4.1.2): the longest tickets leave no room for our other extensions, and
// then the hello does not marshal.
func ticketFits(hello *wire.ClientHello, ticket []byte) bool {
	withTicket := *hello
	withTicket.TicketSupported, withTicket.SessionTicket = true, ticket
	_, err := withTicket.Marshal()
	return err == nil
}

// withdrawSession takes back the session offerSession put into hello, and
// forgets it, for a session the ClientHello cannot carry.
func (hs *clientHandshakeState) withdrawSession(hello *wire.ClientHello) {
	hs.forgetSession()
	hello.SessionID, hello.SessionTicket = nil, nil
	hs.session, hs.sessionCertificates, hs.sessionVerifiedChains = nil, nil, nil
}
