package handshake

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"math/big"
	"net"
	"slices"
	"strings"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// clientHandshakeState is what the client's handshake needs while it runs;
// it is dropped when the handshake ends. Each field is named after the RFC so
// a debugger shows the protocol's own words.
type clientHandshakeState struct {
	c          *Conn
	transcript transcript

	clientHello *wire.ClientHello
	serverHello *wire.ServerHello
	suite       *cipher.Suite

	clientRandom []byte
	serverRandom []byte

	serverCertificates []*x509.Certificate
	verifiedChains     [][]*x509.Certificate    // from serverCertificates, unless InsecureSkipVerify
	ocspResponse       []byte                   // stapled after Certificate (RFC 6066, 8), or the session's
	curveID            cipher.CurveID           // ServerKeyExchange's group (ECDHE or DHE), once its signature checked out
	serverScheme       SignatureScheme          // and the scheme it was signed with
	certificateRequest *wire.CertificateRequest // nil if the server did not ask

	dhGroup *cipher.DHGroup // the server's DHE group (p, g), from ServerKeyExchange

	useExtendedMasterSecret bool
	useEncryptThenMAC       bool

	// serverName is Config.ServerName without a trailing dot: what goes in
	// server_name, what the certificate is verified for, and the name a
	// session is kept under.
	serverName string

	// firstFinished is the verify_data of the first Finished of this
	// handshake, either side's: RFC 5929's tls-unique.
	firstFinished []byte

	// Session resumption (resume_client.go).
	sessionCacheKey       string                 // where ClientSessionCache keeps this server's session
	session               *session.State         // the session offered in ClientHello; nil if none
	sessionCertificates   []*x509.Certificate    // its server chain, parsed when it was checked before offering
	sessionVerifiedChains [][]*x509.Certificate  // that chain verified again before offering (nil with InsecureSkipVerify)
	resumed               bool                   // the server accepted it (checkResumption)
	newSessionTicket      *wire.NewSessionTicket // the ticket the server sent, if any
}

// clientHandshake runs the full handshake of RFC 5246, 7.3 (Figure 1) from
// the client's side. It reads top to bottom like the message flow:
//
//	ClientHello        -->
//	                   <--  ServerHello, Certificate, ServerKeyExchange*,
//	                        CertificateRequest*, ServerHelloDone
//	Certificate*, ClientKeyExchange, CertificateVerify*,
//	[ChangeCipherSpec], Finished  -->
//	                   <--  [ChangeCipherSpec], Finished
func (c *Conn) clientHandshake() error {
	if c.config.ServerName == "" && !c.config.InsecureSkipVerify && !c.config.pskConfigured() {
		return errors.New("glasstls: Config.ServerName must be set (or InsecureSkipVerify, for tests, or a PSK)")
	}
	// A configuration error is ours alone: nothing has been sent, so the
	// server is told nothing.
	if err := c.config.checkCertificates(); err != nil {
		return err
	}
	// RFC 6066, 3: "HostName ... without a trailing dot". "localhost." and
	// "localhost" are the same host, and share one session.
	hs := &clientHandshakeState{c: c, serverName: strings.TrimSuffix(c.config.ServerName, ".")}

	if err := hs.sendClientHello(); err != nil {
		return err
	}
	if err := hs.readServerHello(); err != nil {
		return err
	}
	if err := hs.checkResumption(); err != nil {
		hs.forgetSession()
		return err
	}
	if hs.resumed {
		if err := hs.resumeHandshake(); err != nil { // RFC 5246, 7.3 Figure 2
			hs.forgetSession() // a failed session is not offered again (RFC 5246, 7.2)
			return err
		}
		return nil
	}
	if err := hs.readServerCertificate(); err != nil {
		return err
	}
	if err := hs.readCertificateStatus(); err != nil {
		return err
	}
	if err := hs.runVerifyConnection(hs.serverCertificates, false); err != nil {
		return err
	}
	serverKeyExchange, err := hs.readServerKeyExchange()
	if err != nil {
		return err
	}
	if err := hs.readCertificateRequestAndServerHelloDone(); err != nil {
		return err
	}

	c.rec.SetBuffering(true) // the client's second flight goes out in one write
	clientCertificate, err := hs.sendClientCertificate()
	if err != nil {
		return err
	}
	preMasterSecret, err := hs.sendClientKeyExchange(serverKeyExchange)
	if err != nil {
		return err
	}
	masterSecret := hs.computeMasterSecret(preMasterSecret)
	c.traceMasterSecret(preMasterSecret, masterSecret, hs.useExtendedMasterSecret)
	// Logged as soon as it exists, so that a capture of a handshake that
	// fails at Finished can still be decrypted.
	if err := c.writeKeyLog(hs.clientRandom, masterSecret); err != nil {
		return err
	}
	if err := hs.sendCertificateVerify(clientCertificate); err != nil {
		return err
	}
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

	if err := hs.readNewSessionTicket(); err != nil {
		return err
	}
	if err := c.readChangeCipherSpec(); err != nil {
		return err
	}
	if err := hs.readFinished(masterSecret); err != nil {
		return err
	}
	hs.saveSession(masterSecret)

	c.state = hs.connectionState(hs.serverCertificates, false)
	return nil
}

// sendClientHello offers what this client can do (RFC 5246, 7.4.1.2).
func (hs *clientHandshakeState) sendClientHello() error {
	c := hs.c
	clientRandom, err := c.randomBytes(prf.RandomLen)
	if err != nil {
		return err
	}
	hs.clientRandom = clientRandom
	c.traceValue(valueClientRandom, clientRandom)

	var suiteIDs []uint16
	offersDHE := false
	// Without a name to check a certificate against, only a pre-shared key
	// can authenticate the server: offer nothing else.
	pskOnly := c.config.ServerName == "" && !c.config.InsecureSkipVerify
	for _, s := range c.config.cipherSuites() {
		if s.Auth == cipher.AuthPSK && !c.config.pskConfigured() || pskOnly && s.Auth != cipher.AuthPSK {
			continue // a PSK suite without a key, or a certificate we could not check
		}
		suiteIDs = append(suiteIDs, s.ID)
		offersDHE = offersDHE || s.KeyExchange == cipher.KeyExchangeDHE
	}
	// supported_groups: the curves, and the RFC 7919 groups when we offer
	// DHE (RFC 7919, 3: a client that offers DHE suites "SHOULD" list the
	// groups it accepts, so the server need not guess).
	supportedGroups := c.config.curves()
	if offersDHE {
		supportedGroups = append(slices.Clone(supportedGroups), c.config.ffdheGroups()...)
	}
	// RFC 5746, 3.3: signal secure renegotiation with the SCSV (it works with
	// every server, even one that chokes on unknown extensions).
	suiteIDs = append(suiteIDs, wire.SCSVRenegotiation)

	hello := &wire.ClientHello{
		Vers:                         VersionTLS12,
		Random:                       clientRandom,
		CipherSuites:                 suiteIDs,
		CompressionMethods:           []uint8{wire.CompressionNone},
		SupportedCurves:              supportedGroups,
		SupportedPoints:              []uint8{wire.PointFormatUncompressed},
		SupportedSignatureAlgorithms: c.config.signatureSchemes(),
		ALPNProtocols:                c.config.NextProtos,
		ExtendedMasterSecret:         !c.config.DisableExtendedMasterSecret,
		EncryptThenMAC:               !c.config.DisableEncryptThenMAC,
		OCSPStapling:                 c.config.RequestOCSPStaple,
	}
	// RFC 6066, 3: literal IP addresses are not sent as server names.
	if name := hs.serverName; name != "" && net.ParseIP(name) == nil {
		hello.ServerName = name
	}
	if err := hs.offerSession(hello); err != nil {
		return err
	}
	// A session the ClientHello cannot carry (a custom cache's, or one kept
	// before the extensions grew) would make every connection to this
	// server fail before it starts: forget it and do a full handshake.
	if hs.session != nil {
		if _, err := hello.Marshal(); err != nil {
			hs.withdrawSession(hello)
		}
	}
	hs.clientHello = hello
	return c.writeHandshakeMessage(&hs.transcript, hello)
}

// readServerHello learns what the server chose and checks that it is one of
// the things offered (RFC 5246, 7.4.1.3).
func (hs *clientHandshakeState) readServerHello() error {
	c := hs.c
	serverHello, err := expectMessage[*wire.ServerHello](c, &hs.transcript, "ServerHello")
	if err != nil {
		return err
	}
	hs.serverHello = serverHello

	// RFC 5246, E.1: a server that answers with a lower version than we
	// support is refused: glasstls speaks TLS 1.2 only.
	if serverHello.Vers != VersionTLS12 {
		return record.Errorf(record.AlertProtocolVersion, "server chose version %#04x; only TLS 1.2 is supported", serverHello.Vers)
	}
	c.rec.SetReadVersion(VersionTLS12)
	c.rec.SetWriteVersion(VersionTLS12)

	suite, ok := cipher.SuiteByID(serverHello.CipherSuite)
	if !ok || !slices.Contains(hs.clientHello.CipherSuites, serverHello.CipherSuite) {
		return record.Errorf(record.AlertIllegalParameter, "server chose cipher suite %#04x, which was not offered", serverHello.CipherSuite)
	}
	if serverHello.CompressionMethod != wire.CompressionNone {
		return record.Errorf(record.AlertIllegalParameter, "server chose compression method %d, which was not offered", serverHello.CompressionMethod)
	}
	hs.suite = suite
	c.keyExchange = suite.KeyExchange // the parser needs it to read ServerKeyExchange
	hs.transcript.hash = suite.PRFHash
	hs.serverRandom = serverHello.Random
	c.traceValue(valueServerRandom, hs.serverRandom)

	// What the server may not send: an extension we did not offer (which
	// also covers extended_master_secret, encrypt_then_mac and session_ticket
	// unasked), and values outside what we offered (peer_checks.go).
	if err := checkServerHelloExtensions(hs.clientHello, serverHello); err != nil {
		return err
	}
	if err := checkServerHelloValues(hs.clientHello, serverHello, suite); err != nil {
		return err
	}
	hs.useExtendedMasterSecret = serverHello.ExtendedMasterSecret
	hs.useEncryptThenMAC = serverHello.EncryptThenMAC
	return nil
}

// readServerCertificate reads the server's chain (RFC 5246, 7.4.2) and
// verifies it with x509verify, unless InsecureSkipVerify.
func (hs *clientHandshakeState) readServerCertificate() error {
	c := hs.c
	if hs.suite.Auth == cipher.AuthPSK {
		// RFC 4279, 2: no Certificate; the key will prove who the server is.
		return hs.runVerifyConnection(nil, false)
	}
	certificate, err := expectMessage[*wire.Certificate](c, &hs.transcript, "Certificate")
	if err != nil {
		return err
	}
	if len(certificate.Certificates) == 0 {
		return record.Errorf(record.AlertDecodeError, "server sent an empty Certificate")
	}
	serverCertificates, err := hs.c.parseCertificates(certificate.Certificates)
	if err != nil {
		return err
	}
	hs.serverCertificates = serverCertificates

	// The key must suit the suite: an RSA key for RSA key exchange and
	// ECDHE_RSA, an ECDSA or Ed25519 key for ECDHE_ECDSA.
	leafKey := serverCertificates[0].PublicKey
	if !keySuitsAuth(leafKey, hs.suite) {
		return record.Errorf(record.AlertUnsupportedCertificate, "server's %s does not suit %s", peerKeyName(serverCertificates[0]), hs.suite.Name)
	}
	if err := checkPeerKeyUsage(serverCertificates[0], hs.suite.KeyExchange, hs.suite.KeyExchange != cipher.KeyExchangeRSA); err != nil {
		return err
	}

	if !c.config.InsecureSkipVerify {
		chains, err := verifyPeerChain(c.config, serverCertificates, hs.serverName, x509.ExtKeyUsageServerAuth, c.config.RootCAs)
		if err != nil {
			return err
		}
		hs.verifiedChains = chains
	}
	return nil
}

// connectionState is what this handshake has settled, as ConnectionState
// reports it: what the steps recorded in hs along the way (verified chains,
// the OCSP response, ServerKeyExchange's group and scheme) plus what
// ServerHello chose. VerifyConnection sees it before the handshake ends;
// the Conn keeps it, built once, when it has (c.state is never a
// scratchpad).
func (hs *clientHandshakeState) connectionState(serverCertificates []*x509.Certificate, resumed bool) ConnectionState {
	var pskIdentity string
	if hs.suite.Auth == cipher.AuthPSK {
		pskIdentity = hs.c.config.PSKIdentity
	}
	return ConnectionState{
		Version:              VersionTLS12,
		DidResume:            resumed,
		CipherSuite:          hs.suite.ID,
		ServerName:           hs.c.config.ServerName,
		NegotiatedProtocol:   hs.serverHello.ALPNProtocol,
		ExtendedMasterSecret: hs.useExtendedMasterSecret,
		EncryptThenMAC:       hs.useEncryptThenMAC,
		CurveID:              hs.curveID,
		PeerSignatureScheme:  hs.serverScheme,
		PeerCertificates:     serverCertificates,
		VerifiedChains:       hs.verifiedChains,
		OCSPResponse:         hs.ocspResponse,
		PSKIdentity:          pskIdentity,
		TLSUnique:            tlsUnique(hs.firstFinished, resumed, hs.useExtendedMasterSecret),
	}
}

// runVerifyConnection hands the application the server's identity once it
// is verified, with what ServerHello settled, as the server's
// runVerifyConnection does. An error ends the handshake with
// bad_certificate.
func (hs *clientHandshakeState) runVerifyConnection(serverCertificates []*x509.Certificate, resumed bool) error {
	c := hs.c
	if c.config.VerifyConnection == nil {
		return nil
	}
	if err := c.config.VerifyConnection(hs.connectionState(serverCertificates, resumed)); err != nil {
		return record.Errorf(record.AlertBadCertificate, "VerifyConnection: %w", err)
	}
	return nil
}

// readServerKeyExchange reads the server's signed ECDHE parameters
// (RFC 8422, 5.4) or DHE parameters (RFC 5246, 7.4.3) and checks the
// signature over client_random + server_random + params with the
// certificate's key. RSA key exchange has no ServerKeyExchange: nil is
// returned.
func (hs *clientHandshakeState) readServerKeyExchange() (*wire.ServerKeyExchange, error) {
	if hs.suite.Auth == cipher.AuthPSK {
		return hs.readPSKServerKeyExchange() // unsigned (psk.go)
	}
	if hs.suite.KeyExchange != cipher.KeyExchangeECDHE && hs.suite.KeyExchange != cipher.KeyExchangeDHE {
		return nil, nil
	}
	c := hs.c
	serverKeyExchange, err := expectMessage[*wire.ServerKeyExchange](c, &hs.transcript, "ServerKeyExchange")
	if err != nil {
		return nil, err
	}
	if hs.suite.KeyExchange == cipher.KeyExchangeDHE {
		if err := hs.checkServerDHParams(serverKeyExchange); err != nil {
			return nil, err
		}
	} else if !slices.Contains(hs.clientHello.SupportedCurves, serverKeyExchange.Curve) {
		return nil, record.Errorf(record.AlertIllegalParameter, "server chose group %v, which was not offered", serverKeyExchange.Curve)
	}
	scheme := serverKeyExchange.SignatureScheme
	if !slices.Contains(hs.clientHello.SupportedSignatureAlgorithms, scheme) {
		return nil, record.Errorf(record.AlertIllegalParameter, "server signed with %v, which was not offered", scheme)
	}
	signed := signedParams(hs.clientRandom, hs.serverRandom, serverKeyExchange.Params())
	if err := verifyHandshake(hs.serverCertificates[0].PublicKey, scheme, signed, serverKeyExchange.Signature); err != nil {
		// As for CertificateVerify (server.go): a signature that does not
		// verify is decrypt_error, a scheme we cannot check or the key
		// cannot make is illegal_parameter (RFC 5246, 7.2.2).
		if errors.Is(err, errBadSignature) {
			return nil, record.Errorf(record.AlertDecryptError, "ServerKeyExchange signature: %w", err)
		}
		return nil, record.Errorf(record.AlertIllegalParameter, "ServerKeyExchange signature: %w", err)
	}
	hs.curveID, hs.serverScheme = serverKeyExchange.Curve, scheme
	if hs.dhGroup != nil {
		hs.curveID = hs.dhGroup.ID // 0 for a group the server made up
	}
	return serverKeyExchange, nil
}

// checkServerDHParams checks the server's DHE group and public value before
// anything is computed with them. The server picks p and g itself (RFC
// 5246, 7.4.3), so the client must refuse a group too small to be safe
// (RFC 7919, 4; Logjam) and a public value that would fix the shared
// secret (RFC 7919, 5.1).
func (hs *clientHandshakeState) checkServerDHParams(serverKeyExchange *wire.ServerKeyExchange) error {
	dhGroup, err := cipher.DHGroupFromParams(serverKeyExchange.DHP, serverKeyExchange.DHG)
	if errors.Is(err, cipher.ErrWeakDHGroup) {
		return record.Errorf(record.AlertInsufficientSecurity, "server's DHE group: %w", err)
	}
	if err != nil {
		return record.Errorf(record.AlertIllegalParameter, "server's DHE group: %w", err)
	}
	if len(serverKeyExchange.DHYs) > (dhGroup.P.BitLen()+7)/8 {
		return record.Errorf(record.AlertIllegalParameter, "server's DHE public value is longer than p")
	}
	if err := cipher.CheckDHEPublic(dhGroup, new(big.Int).SetBytes(serverKeyExchange.DHYs)); err != nil {
		return record.Errorf(record.AlertIllegalParameter, "server's DHE public value: %w", err)
	}
	hs.dhGroup = dhGroup
	hs.c.traceDHGroup(dhGroup)
	return nil
}

// readCertificateRequestAndServerHelloDone reads the optional
// CertificateRequest (RFC 5246, 7.4.4) and the ServerHelloDone that ends the
// server's flight (7.4.5).
func (hs *clientHandshakeState) readCertificateRequestAndServerHelloDone() error {
	c := hs.c
	msg, err := c.readHandshakeMessage(&hs.transcript)
	if err != nil {
		return err
	}
	if certificateRequest, ok := msg.(*wire.CertificateRequest); ok {
		if hs.suite.Auth == cipher.AuthPSK {
			// RFC 4279 has no client certificates.
			return unexpectedMessage("ServerHelloDone", msg)
		}
		hs.certificateRequest = certificateRequest
		msg, err = c.readHandshakeMessage(&hs.transcript)
		if err != nil {
			return err
		}
	}
	if _, ok := msg.(*wire.ServerHelloDone); !ok {
		return unexpectedMessage("ServerHelloDone", msg)
	}
	return nil
}

// sendClientCertificate answers a CertificateRequest (RFC 5246, 7.4.6): with
// a chain the server can accept, or with an empty Certificate message.
func (hs *clientHandshakeState) sendClientCertificate() (*Certificate, error) {
	if hs.certificateRequest == nil {
		return nil, nil
	}
	c := hs.c
	clientCertificate, err := c.pickClientCertificate(hs.certificateRequest)
	if err != nil {
		return nil, err
	}
	msg := &wire.Certificate{}
	if clientCertificate != nil {
		msg.Certificates = clientCertificate.Certificate
	}
	if err := c.writeHandshakeMessage(&hs.transcript, msg); err != nil {
		return nil, err
	}
	if clientCertificate == nil || len(clientCertificate.Certificate) == 0 {
		return nil, nil
	}
	return clientCertificate, nil
}

// sendClientKeyExchange makes the pre-master secret and sends the server
// what it needs to compute it too (RFC 5246, 7.4.7).
func (hs *clientHandshakeState) sendClientKeyExchange(serverKeyExchange *wire.ServerKeyExchange) ([]byte, error) {
	c := hs.c
	var preMasterSecret []byte
	var clientKeyExchange *wire.ClientKeyExchange

	switch hs.suite.KeyExchange {
	case cipher.KeyExchangeRSA:
		// RFC 5246, 7.4.7.1: 48 bytes, the first two the version we OFFERED,
		// encrypted with the server's RSA key.
		rsaKey, ok := hs.serverCertificates[0].PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, record.Errorf(record.AlertUnsupportedCertificate, "RSA key exchange needs an RSA certificate")
		}
		var err error
		preMasterSecret, err = cipher.NewRSAPreMasterSecret(c.config.rand(), hs.clientHello.Vers)
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "%w", err)
		}
		encryptedPreMasterSecret, err := cipher.EncryptRSAPreMasterSecret(c.config.rand(), rsaKey, preMasterSecret)
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "encrypting the pre-master secret: %w", err)
		}
		clientKeyExchange = wire.NewRSAClientKeyExchange(encryptedPreMasterSecret)

	case cipher.KeyExchangeECDHE:
		// RFC 8422, 5.7: our ephemeral public key on the server's curve; the
		// pre-master secret is the shared secret.
		clientPrivateKey, err := cipher.GenerateECDHEKey(c.config.rand(), serverKeyExchange.Curve)
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "%w", err)
		}
		preMasterSecret, err = cipher.ECDHESharedSecret(clientPrivateKey, serverKeyExchange.PublicKey)
		if err != nil {
			return nil, record.Errorf(record.AlertIllegalParameter, "server's ECDHE public key: %w", err)
		}
		clientKeyExchange = wire.NewECDHEClientKeyExchange(cipher.ECDHEPublicKey(clientPrivateKey))

	case cipher.KeyExchangePSK, cipher.KeyExchangeECDHEPSK:
		var err error
		preMasterSecret, clientKeyExchange, err = hs.pskClientKeyExchange(serverKeyExchange) // psk.go
		if err != nil {
			return nil, err
		}

	case cipher.KeyExchangeDHE:
		// RFC 5246, 7.4.7.2: our public value g^x mod p in the server's
		// group; the pre-master secret is (dh_Ys)^x mod p, leading zero
		// bytes stripped (8.1.2).
		clientPrivateKey, err := cipher.GenerateDHEKey(c.config.rand(), hs.dhGroup)
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "%w", err)
		}
		c.traceDHKey(false, clientPrivateKey)
		preMasterSecret, err = cipher.DHESharedSecret(clientPrivateKey, serverKeyExchange.DHYs)
		if err != nil {
			return nil, record.Errorf(record.AlertIllegalParameter, "server's DHE public value: %w", err)
		}
		clientKeyExchange = wire.NewDHEClientKeyExchange(cipher.DHEPublicKey(clientPrivateKey))
	}
	if err := c.writeHandshakeMessage(&hs.transcript, clientKeyExchange); err != nil {
		return nil, err
	}
	return preMasterSecret, nil
}

// computeMasterSecret turns the pre-master secret into the master secret:
// from the randoms (RFC 5246, 8.1), or from the transcript so far when both
// sides agreed to the extended master secret (RFC 7627, 4).
func (hs *clientHandshakeState) computeMasterSecret(preMasterSecret []byte) []byte {
	if hs.useExtendedMasterSecret {
		sessionHash := hs.transcript.sum()
		hs.c.traceValue(valueSessionHash, sessionHash) // through ClientKeyExchange
		return prf.ExtendedMasterSecret(hs.suite.PRFHash, preMasterSecret, sessionHash)
	}
	return prf.MasterSecret(hs.suite.PRFHash, preMasterSecret, hs.clientRandom, hs.serverRandom)
}

// sendCertificateVerify proves the client holds its certificate's key by
// signing every handshake message so far (RFC 5246, 7.4.8).
func (hs *clientHandshakeState) sendCertificateVerify(clientCertificate *Certificate) error {
	if clientCertificate == nil {
		return nil
	}
	c := hs.c
	signer, ok := clientCertificate.PrivateKey.(crypto.Signer)
	if !ok {
		return record.Errorf(record.AlertInternalError, "client key %T cannot sign", clientCertificate.PrivateKey)
	}
	scheme, err := selectSignatureScheme(signer.Public(), clientCertificate.signingSchemes(c.config.signatureSchemes()), hs.certificateRequest.SupportedSignatureAlgorithms)
	if err != nil {
		return record.Errorf(record.AlertHandshakeFailure, "client certificate: %w", err)
	}
	signature, err := signHandshake(c.config.rand(), signer, scheme, hs.transcript.messages)
	if err != nil {
		return record.Errorf(record.AlertInternalError, "signing CertificateVerify: %w", err)
	}
	return c.writeHandshakeMessage(&hs.transcript, &wire.CertificateVerify{SignatureScheme: scheme, Signature: signature})
}

// sendFinished sends the first message under the new keys: proof that the
// client saw the same handshake and holds the same master secret (RFC 5246,
// 7.4.9). The verify_data is not kept: only renegotiation needs it again
// (RFC 5746, 3.1), and glasstls never renegotiates.
func (hs *clientHandshakeState) sendFinished(masterSecret []byte) error {
	verifyData := finishedVerifyData(hs.suite, masterSecret, clientFinished, &hs.transcript)
	hs.c.traceVerifyData(clientFinished, &hs.transcript, verifyData)
	hs.noteFinished(verifyData)
	return hs.c.writeHandshakeMessage(&hs.transcript, &wire.Finished{VerifyData: verifyData})
}

// readFinished checks the server's Finished. A mismatch means someone changed
// a handshake message on the way (a downgrade, for instance), or the server
// does not hold the master secret: decrypt_error (RFC 5246, 7.4.9; 7.2.2
// names it for failing to "validate a Finished message").
func (hs *clientHandshakeState) readFinished(masterSecret []byte) error {
	expectedVerifyData := finishedVerifyData(hs.suite, masterSecret, serverFinished, &hs.transcript)
	hs.c.traceVerifyData(serverFinished, &hs.transcript, expectedVerifyData)
	serverFinished, err := expectMessage[*wire.Finished](hs.c, &hs.transcript, "Finished")
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(serverFinished.VerifyData, expectedVerifyData) != 1 {
		return record.Errorf(record.AlertDecryptError, "server Finished verify_data is wrong: the handshake was tampered with or the keys differ")
	}
	hs.noteFinished(expectedVerifyData)
	return nil
}

// signedParams is what a ServerKeyExchange signature covers (RFC 8422, 5.4):
// ClientHello.random + ServerHello.random + ServerECDHParams.
func signedParams(clientRandom, serverRandom, params []byte) []byte {
	return bytes.Join([][]byte{clientRandom, serverRandom, params}, nil)
}

// keySuitsAuth reports whether a certificate key can authenticate suite.
func keySuitsAuth(pub crypto.PublicKey, suite *cipher.Suite) bool {
	switch pub.(type) {
	case *rsa.PublicKey:
		return suite.Auth == cipher.AuthRSA
	case *RSAPSSPublicKey:
		// A PSS-only key signs (ECDHE_RSA, DHE_RSA) but cannot decrypt.
		return suite.Auth == cipher.AuthRSA && suite.KeyExchange != cipher.KeyExchangeRSA
	case *ecdsa.PublicKey, ed25519.PublicKey:
		// RFC 8422, 2: the ECDHE_ECDSA suites carry EdDSA certificates too.
		return suite.Auth == cipher.AuthECDSA && suite.KeyExchange == cipher.KeyExchangeECDHE
	}
	return false
}
