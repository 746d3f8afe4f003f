package handshake

import (
	"context"
	"crypto/x509"
	"slices"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/record"
)

// resumeHandshake runs the abbreviated handshake of RFC 5246, 7.3
// (Figure 2) from the server's side, once checkForResumption has found the
// session. No certificates, no key exchange: the master secret is the
// session's, and the server speaks Finished first.
//
//	                   <--  ClientHello (session ID and/or ticket)
//	ServerHello (the same session ID), NewSessionTicket*,
//	[ChangeCipherSpec], Finished  -->
//	                   <--  [ChangeCipherSpec], Finished
func (hs *serverHandshakeState) resumeHandshake() error {
	c := hs.c
	masterSecret := hs.session.MasterSecret
	c.traceValue(valueResumedMasterSecret, masterSecret)
	// Logged before anything can fail, as in the full handshake (server.go).
	if err := c.writeKeyLog(hs.clientRandom, masterSecret); err != nil {
		return err
	}

	c.rec.SetBuffering(true) // ServerHello to Finished in one write
	if err := hs.sendServerHello(); err != nil {
		return err
	}
	if err := hs.sendNewSessionTicket(masterSecret); err != nil {
		return err
	}
	// New randoms, old master secret: fresh keys for this connection (6.3).
	if err := c.establishKeys(hs.suite, masterSecret, hs.clientRandom, hs.serverRandom, hs.useEncryptThenMAC); err != nil {
		return err
	}
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

	if err := c.readChangeCipherSpec(); err != nil {
		return err
	}
	if err := hs.readFinished(masterSecret); err != nil {
		return err
	}

	// The client proved it holds the session's master secret: the
	// application's policy sees the client's identity as on a full
	// handshake (a tunnel's CN allow list must not be skipped by resuming).
	if err := hs.runVerifyConnection(); err != nil {
		return err
	}

	c.state = hs.connectionState() // DidResume: hs.session is the resumed one
	return nil
}

// checkForResumption looks for the session the client offers: in its
// ticket if it sent one (RFC 5077, 3.4), else by session ID in the cache
// (RFC 5246, 7.4.1.2). A ticket that does not open, an unknown or expired
// ID, or a session that no longer fits means a full handshake, never an
// error; the one exception is the abort RFC 7627, 5.3 requires.
func (hs *serverHandshakeState) checkForResumption() (bool, error) {
	c := hs.c
	clientHello := hs.clientHello
	now := c.config.now()

	var s *session.State
	fromTicket := false
	switch {
	case !c.config.SessionTicketsDisabled && len(clientHello.SessionTicket) > 0:
		fromTicket = true
		// RFC 5077, 3.4: "If a ticket is presented by the client, the
		// server MUST NOT attempt to use the Session ID in the ClientHello
		// for stateful session resumption." A ticket that does not open
		// (tampered, expired, sealed by a retired key) means a full
		// handshake, even if the ID is in the cache.
		s, _ = c.config.serverSessions().ticketKeys.Open(now, clientHello.SessionTicket)
	case !c.config.SessionIDCacheDisabled && len(clientHello.SessionID) > 0:
		s, _ = c.config.serverSessions().cache.Get(hs.ctx, clientHello.SessionID, now)
	}
	if s == nil || s.Version != VersionTLS12 {
		return false, nil
	}

	// RFC 5246, 7.4.1.2: the client must still offer the session's suite;
	// and we must still accept it (a suite since removed from our Config
	// must not come back through an old session).
	suite, ok := cipher.SuiteByID(s.CipherSuite)
	weAccept := slices.ContainsFunc(c.config.cipherSuites(), func(ours *cipher.Suite) bool { return ours.ID == s.CipherSuite })
	if !ok || !weAccept || !slices.Contains(clientHello.CipherSuites, s.CipherSuite) {
		return false, nil
	}
	// RFC 6066, 3: a session is not resumed for a different server name.
	if s.ServerName != clientHello.ServerName {
		return false, nil
	}
	// A PSK session rests on its identity's key: resumed only while
	// PSKLookup still knows the identity (a key revoked since must not live
	// on in old sessions), and never as a certificate session or the
	// reverse. An identity that is now unknown gets a full handshake, where
	// it is answered as RevealUnknownPSKIdentity says.
	if (suite.Auth == cipher.AuthPSK) != (s.PSKIdentity != "") {
		return false, nil
	}
	if suite.Auth == cipher.AuthPSK {
		if c.config.PSKLookup == nil {
			return false, nil
		}
		if psk, err := c.config.PSKLookup(s.PSKIdentity); err != nil || len(psk) == 0 {
			return false, nil
		}
		hs.pskIdentity = s.PSKIdentity
	}
	// A policy that now requires a client certificate is not met by a
	// session that had none.
	requiresCert := c.config.ClientAuth == RequireAnyClientCert || c.config.ClientAuth == RequireAndVerifyClientCert
	if requiresCert && len(s.PeerCertificates) == 0 {
		return false, nil
	}
	// RFC 7627, 5.3: an EMS session offered without the extension "MUST
	// abort the abbreviated handshake" (OpenSSL and crypto/tls fail it with
	// handshake_failure: it smells of a downgrade); a non-EMS session offered
	// with it gets a full handshake (which will use EMS).
	offersEMS := clientHello.ExtendedMasterSecret && !c.config.DisableExtendedMasterSecret
	switch {
	case s.ExtendedMasterSecret && c.config.DisableExtendedMasterSecret:
		return false, nil
	case s.ExtendedMasterSecret && !clientHello.ExtendedMasterSecret:
		return false, record.Errorf(record.AlertHandshakeFailure, "client resumes an extended-master-secret session without the extension (RFC 7627, 5.3)")
	case !s.ExtendedMasterSecret && offersEMS:
		return false, nil
	}

	// RFC 5246, 7.4.6 holds on resumption too: a session's client chain is
	// verified again, against today's ClientCAs and clock (it may have
	// expired, or its CA been dropped), and VerifiedChains is filled in as
	// on a full handshake. A chain that no longer verifies means a full
	// handshake, where it will be refused with the proper alert.
	clientCertificates, err := hs.c.parseCertificates(s.PeerCertificates)
	if err != nil {
		return false, nil
	}
	if len(clientCertificates) > 0 && (c.config.ClientAuth == VerifyClientCertIfGiven || c.config.ClientAuth == RequireAndVerifyClientCert) {
		chains, err := verifyPeerChain(c.config, clientCertificates, "", x509.ExtKeyUsageClientAuth, c.config.ClientCAs)
		if err != nil {
			return false, nil
		}
		hs.verifiedChains = chains
	}
	hs.clientCertificates = clientCertificates

	hs.session = s
	hs.suite = suite
	hs.transcript.hash = suite.PRFHash
	hs.sessionID = clientHello.SessionID // RFC 5077, 3.4: echo it, so the client sees the resumption
	hs.useExtendedMasterSecret = s.ExtendedMasterSecret
	hs.useEncryptThenMAC = clientHello.EncryptThenMAC && !suite.IsAEAD() && !c.config.DisableEncryptThenMAC
	// RFC 5077, 3.1 and 3.3: a server that resumes may send a new ticket,
	// or omit the SessionTicket extension from its ServerHello and the
	// client keeps the ticket it has. A new ticket goes to a client that
	// resumed by session ID (it has none yet) and to one whose ticket a
	// key that no longer seals sealed (rotated, or due to), so that it
	// moves to the current key before the old one retires. A ticket of
	// the current key is kept, as OpenSSL does: a new one would hold the
	// same session with the same lifetime (it counts from the full
	// handshake), and would cost a seal and some 200 bytes each time.
	hs.sendTicket = clientHello.TicketSupported && !c.config.SessionTicketsDisabled &&
		!(fromTicket && c.config.serverSessions().ticketKeys.SealedByCurrentKey(now, clientHello.SessionTicket))
	return true, nil
}

// newSession decides how a full handshake's session will be kept: under a
// new random session ID in the cache (RFC 5246, 7.4.1.3), and in a ticket
// if the client asked for one (RFC 5077, 3.2). With both off the session
// ID is empty: "the session will not be cached".
func (hs *serverHandshakeState) newSession() error {
	c := hs.c
	if !c.config.SessionIDCacheDisabled {
		sessionID, err := c.randomBytes(32)
		if err != nil {
			return err
		}
		hs.sessionID = sessionID
	}
	hs.sendTicket = hs.clientHello.TicketSupported && !c.config.SessionTicketsDisabled
	return nil
}

// sessionState is the session this handshake makes (or resumes).
func (hs *serverHandshakeState) sessionState(masterSecret []byte) *session.State {
	if hs.session != nil {
		return hs.session // resumed: same session, same creation time
	}
	var clientCertificates [][]byte
	for _, cert := range hs.clientCertificates {
		clientCertificates = append(clientCertificates, cert.Raw)
	}
	return &session.State{
		Version:              VersionTLS12,
		CipherSuite:          hs.suite.ID,
		MasterSecret:         masterSecret,
		ExtendedMasterSecret: hs.useExtendedMasterSecret,
		ServerName:           hs.clientHello.ServerName,
		PeerCertificates:     clientCertificates,
		CreatedAt:            hs.c.config.now(),
		PSKIdentity:          hs.pskIdentity, // empty unless a PSK suite
	}
}

// sendNewSessionTicket seals the session into a ticket and hands it to the
// client, just before ChangeCipherSpec (RFC 5077, 3.3).
func (hs *serverHandshakeState) sendNewSessionTicket(masterSecret []byte) error {
	if !hs.sendTicket {
		return nil
	}
	c := hs.c
	ticketKeys := c.config.serverSessions().ticketKeys
	ticket, err := ticketKeys.Seal(c.config.rand(), c.config.now(), hs.sessionState(masterSecret))
	if err != nil {
		return record.Errorf(record.AlertInternalError, "sealing the session ticket: %w", err)
	}
	newSessionTicket := &wire.NewSessionTicket{
		LifetimeHint: uint32(ticketKeys.Lifetime() / time.Second),
		Ticket:       ticket,
	}
	return c.writeHandshakeMessage(&hs.transcript, newSessionTicket)
}

// saveSession puts a full handshake's session in the cache under the ID
// sent in ServerHello, now that Finished proved both sides hold it.
func (hs *serverHandshakeState) saveSession(masterSecret []byte) {
	if len(hs.sessionID) == 0 || hs.session != nil {
		return
	}
	hs.c.config.serverSessions().cache.Put(hs.ctx, hs.sessionID, hs.sessionState(masterSecret))
}

// forgetSession takes back what saveSession cached, for a connection that
// failed after all. The handshake's context may be what failed it, so the
// Delete goes out without its cancellation (a networked cache still bounds
// the call by its own timeout).
func (hs *serverHandshakeState) forgetSession() {
	if len(hs.sessionID) == 0 || hs.session != nil {
		return
	}
	hs.c.config.serverSessions().cache.Delete(context.WithoutCancel(hs.ctx), hs.sessionID)
}
