package handshake

import (
	"bytes"
	"slices"
	"time"

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
	serverCertificates := hs.sessionCertificates // parsed and date-checked by sessionStillUsable
	c.state.OCSPResponse = hs.session.OCSPResponse
	// The session's certificates were verified when it was made; the
	// application's policy still sees them, as the server's does (a policy
	// may have changed since, e.g. a pinned key rotated out).
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

	if err := c.writeKeyLog(hs.clientRandom, masterSecret); err != nil {
		return err
	}
	c.state = hs.connectionState(serverCertificates, true)
	return nil
}

// offerSession puts the cached session for this server, if there is one we
// may still use, into the ClientHello: its session ID, its ticket, or both.
// With a ClientSessionCache the client also asks for a ticket (RFC 5077, 3.2).
func (hs *clientHandshakeState) offerSession(hello *clientHelloMsg) error {
	c := hs.c
	cache := c.config.ClientSessionCache
	if cache == nil {
		return nil
	}
	hello.ticketSupported = !c.config.SessionTicketsDisabled
	hs.sessionCacheKey = c.config.ServerName
	if hs.sessionCacheKey == "" {
		hs.sessionCacheKey = c.conn.RemoteAddr().String()
	}
	s, ok := cache.Get(hs.sessionCacheKey)
	if !ok {
		return nil
	}
	if !hs.sessionStillUsable(s, hello) {
		return nil
	}

	hello.sessionID = s.SessionID
	if len(s.Ticket) > 0 && hello.ticketSupported {
		hello.sessionTicket = s.Ticket
		// RFC 5077, 3.4: a client offering a ticket makes up a session ID
		// (if it has none) so the server's echo tells it the ticket worked.
		if len(hello.sessionID) == 0 {
			sessionID, err := c.randomBytes(32)
			if err != nil {
				return err
			}
			hello.sessionID = sessionID
		}
	}
	if len(hello.sessionID) > 0 {
		hs.session = s
	}
	return nil
}

// sessionStillUsable reports whether a cached session may be offered: same
// version, a suite we still offer, not too old, and no step down from the
// extended master secret (RFC 7627, 5.4: sessions without it "SHOULD NOT"
// be resumed when it is on offer).
func (hs *clientHandshakeState) sessionStillUsable(s *session.State, hello *clientHelloMsg) bool {
	maxAge := maxClientSessionAge
	if s.TicketLifetimeHint > 0 && len(s.Ticket) > 0 {
		maxAge = min(maxAge, time.Duration(s.TicketLifetimeHint)*time.Second)
	}
	if s.Version != VersionTLS12 ||
		!slices.Contains(hello.cipherSuites, s.CipherSuite) ||
		!session.Fresh(s, hs.c.config.now(), maxAge) ||
		(!s.ExtendedMasterSecret && hello.extendedMasterSecret) {
		return false
	}
	// The chain was verified when the session was made, but a certificate
	// may have expired since: a resumption must not outlive the
	// authentication it rests on (crypto/tls makes the same check).
	certificates, err := hs.c.parseCertificates(s.PeerCertificates)
	if err != nil || len(certificates) == 0 {
		return false
	}
	now := hs.c.config.now()
	for _, cert := range certificates {
		if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
			return false
		}
	}
	hs.sessionCertificates = certificates
	return true
}

// serverResumedSession tells from the ServerHello whether the server
// resumed the offered session: it echoes our session ID (RFC 5246,
// 7.4.1.3; RFC 5077, 3.4). A resumed session must keep its suite and its
// extended master secret (RFC 7627, 5.3: abort otherwise). A refused
// session is dropped from the cache.
func (hs *clientHandshakeState) serverResumedSession() (bool, error) {
	if hs.session == nil {
		return false, nil
	}
	serverHello := hs.serverHello
	if len(serverHello.sessionID) == 0 || !bytes.Equal(serverHello.sessionID, hs.clientHello.sessionID) {
		hs.c.config.ClientSessionCache.Put(hs.sessionCacheKey, nil)
		return false, nil
	}
	if serverHello.cipherSuite != hs.session.CipherSuite {
		return false, record.Errorf(record.AlertIllegalParameter, "server resumed a session with cipher suite %#04x, not the session's %#04x", serverHello.cipherSuite, hs.session.CipherSuite)
	}
	if serverHello.extendedMasterSecret != hs.session.ExtendedMasterSecret {
		return false, record.Errorf(record.AlertHandshakeFailure, "server resumed a session with extended_master_secret %v, the session had %v (RFC 7627, 5.3)", serverHello.extendedMasterSecret, hs.session.ExtendedMasterSecret)
	}
	return true, nil
}

// readNewSessionTicket reads the ticket a server promised in its ServerHello
// (RFC 5077, 3.3); it comes just before the server's ChangeCipherSpec.
func (hs *clientHandshakeState) readNewSessionTicket() error {
	if !hs.serverHello.ticketSupported {
		return nil
	}
	newSessionTicket, err := expectMessage[*newSessionTicketMsg](hs.c, &hs.transcript, "NewSessionTicket")
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
	if hs.session != nil && hs.serverResumed() {
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
			ServerName:           c.config.ServerName,
			PeerCertificates:     serverCertificates,
			OCSPResponse:         c.state.OCSPResponse,
			CreatedAt:            c.config.now(),
			SessionID:            hs.serverHello.sessionID,
		}
	}
	// An empty ticket means the server changed its mind (RFC 5077, 3.3).
	if t := hs.newSessionTicket; t != nil && len(t.ticket) > 0 {
		s.Ticket, s.TicketLifetimeHint = t.ticket, t.lifetimeHint
	}
	if len(s.SessionID) == 0 && len(s.Ticket) == 0 {
		return // nothing to resume with
	}
	cache.Put(hs.sessionCacheKey, &s)
}

// serverResumed reports whether this handshake is the abbreviated one.
func (hs *clientHandshakeState) serverResumed() bool {
	return hs.session != nil && len(hs.serverHello.sessionID) > 0 && bytes.Equal(hs.serverHello.sessionID, hs.clientHello.sessionID)
}
