package handshake

import (
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"slices"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// serverHandshakeState is what the server's handshake needs while it runs.
type serverHandshakeState struct {
	c          *Conn
	ctx        context.Context // HandshakeContext's: bounds calls to a session cache across the network
	transcript transcript

	clientHello *wire.ClientHello
	serverHello *wire.ServerHello
	suite       *cipher.Suite
	certificate *Certificate // the chain we present

	clientRandom []byte
	serverRandom []byte

	curve            cipher.CurveID   // for ECDHE
	serverPrivateKey *ecdh.PrivateKey // ephemeral: forgotten after the handshake (forward secrecy)

	dhGroup            cipher.CurveID       // for DHE: the RFC 7919 group (0 if none can be used)
	serverDHPrivateKey *cipher.DHPrivateKey // ephemeral, like serverPrivateKey

	pskIdentity string // PSK suites: the identity the client sent
	pskUnknown  bool   // PSKLookup did not know it, and a random key stands in (psk.go)

	clientCertificates    []*x509.Certificate
	verifiedChains        [][]*x509.Certificate // from clientCertificates, when ClientAuth verifies
	clientSignatureScheme SignatureScheme       // of CertificateVerify; 0 if none came

	useExtendedMasterSecret bool
	useEncryptThenMAC       bool

	// firstFinished is the verify_data of the first Finished of this
	// handshake, either side's: RFC 5929's tls-unique.
	firstFinished []byte

	// Session resumption (resume_server.go).
	sessionID  []byte         // sent in ServerHello: new, or the client's echoed on resumption
	session    *session.State // the session being resumed; nil in a full handshake
	sendTicket bool           // a NewSessionTicket follows (RFC 5077, 3.3)
}

// serverHandshake runs the full handshake of RFC 5246, 7.3 (Figure 1) from
// the server's side, top to bottom in the order of the messages:
//
//	                   <--  ClientHello
//	ServerHello, Certificate, ServerKeyExchange*,
//	CertificateRequest*, ServerHelloDone  -->
//	                   <--  Certificate*, ClientKeyExchange,
//	                        CertificateVerify*, [ChangeCipherSpec], Finished
//	[ChangeCipherSpec], Finished  -->
func (c *Conn) serverHandshake(ctx context.Context) error {
	if err := c.config.checkServerConfig(); err != nil {
		return configError(err)
	}
	hs := &serverHandshakeState{c: c, ctx: ctx}

	if err := hs.readClientHello(); err != nil {
		return err
	}
	if err := hs.applyConfigForClient(); err != nil {
		return err
	}
	resume, err := hs.checkForResumption()
	if err != nil {
		return err
	}
	if resume {
		return hs.resumeHandshake() // RFC 5246, 7.3 Figure 2
	}
	if err := hs.chooseParameters(); err != nil {
		return err
	}
	if err := hs.newSession(); err != nil {
		return err
	}

	c.rec.SetBuffering(true) // the server's whole first flight goes out in one write
	if err := hs.sendServerHello(); err != nil {
		return err
	}
	if err := hs.sendCertificate(); err != nil {
		return err
	}
	if err := hs.sendCertificateStatus(); err != nil {
		return err
	}
	if err := hs.sendServerKeyExchange(); err != nil {
		return err
	}
	if err := hs.sendCertificateRequest(); err != nil {
		return err
	}
	if err := hs.sendServerHelloDone(); err != nil {
		return err
	}
	c.rec.SetBuffering(false)
	if err := c.rec.Flush(); err != nil {
		return err
	}

	if err := hs.readClientCertificate(); err != nil {
		return err
	}
	preMasterSecret, err := hs.readClientKeyExchange()
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
	if err := hs.readCertificateVerify(); err != nil {
		return err
	}
	if err := hs.runVerifyConnection(); err != nil {
		return err
	}
	if err := c.establishKeys(hs.suite, masterSecret, hs.clientRandom, hs.serverRandom, hs.useEncryptThenMAC); err != nil {
		return err
	}
	if err := c.readChangeCipherSpec(); err != nil {
		return err
	}
	if err := hs.readFinished(masterSecret); err != nil {
		return err
	}

	c.rec.SetBuffering(true)
	if err := hs.sendNewSessionTicket(masterSecret); err != nil {
		return err
	}
	if err := c.rec.ChangeWriteCipherSpec(); err != nil {
		return err
	}
	if err := hs.sendFinished(masterSecret); err != nil {
		return err
	}
	// The client's Finished checked out, so the session is good: cache it
	// before our Finished leaves, or a client that reconnects the moment
	// it reads it could find the cache not yet updated.
	hs.saveSession(masterSecret)
	c.rec.SetBuffering(false)
	if err := c.rec.Flush(); err != nil {
		hs.forgetSession() // RFC 5246, 7.2: a failed connection's session must not be resumed
		return err
	}

	c.state = hs.connectionState()
	return nil
}

// readClientHello reads the client's offer (RFC 5246, 7.4.1.2) and checks
// the parts every handshake needs.
func (hs *serverHandshakeState) readClientHello() error {
	c := hs.c
	clientHello, err := expectMessage[*wire.ClientHello](c, &hs.transcript, "ClientHello")
	if err != nil {
		return err
	}
	hs.clientHello = clientHello
	hs.clientRandom = clientHello.Random
	c.traceValue(valueClientRandom, hs.clientRandom)

	// RFC 5246, E.1: the client's version is the highest it supports. A TLS
	// 1.3 client says 1.2 here and lists 1.3 in supported_versions (RFC
	// 8446, 4.2.1); both can do 1.2, which is what they get. A client whose
	// best is older gets protocol_version.
	if clientHello.Vers < VersionTLS12 && !slices.Contains(clientHello.SupportedVersions, VersionTLS12) {
		return record.Errorf(record.AlertProtocolVersion, "client offers at most version %#04x; only TLS 1.2 is supported", clientHello.Vers)
	}
	if len(clientHello.SupportedVersions) > 0 && !slices.Contains(clientHello.SupportedVersions, VersionTLS12) {
		return record.Errorf(record.AlertProtocolVersion, "client's supported_versions does not include TLS 1.2")
	}
	c.rec.SetReadVersion(VersionTLS12)
	c.rec.SetWriteVersion(VersionTLS12)

	// RFC 5246, 7.4.1.2: the null compression method must be offered.
	if !slices.Contains(clientHello.CompressionMethods, wire.CompressionNone) {
		return record.Errorf(record.AlertIllegalParameter, "client did not offer the null compression method")
	}
	// RFC 5746, 3.6: on an initial handshake renegotiated_connection is empty.
	if clientHello.SecureRenegotiationSupported && len(clientHello.SecureRenegotiation) != 0 {
		return record.Errorf(record.AlertHandshakeFailure, "non-empty renegotiation_info in the initial handshake")
	}
	return nil
}

// chooseParameters picks the certificate, the suite, the ECDHE group, and
// the extensions to agree to. The certificate comes first: by server_name
// (RFC 6066, 3), then by what the client can verify (certificateCandidates
// gives the tiers). Within a tier the server's preference order of suites
// wins (as OpenSSL's SSL_OP_CIPHER_SERVER_PREFERENCE and crypto/tls do).
func (hs *serverHandshakeState) chooseParameters() error {
	c := hs.c
	clientHello := hs.clientHello

	candidates, err := hs.certificateCandidates()
	if err != nil {
		return err
	}
	dheWithoutGroup := false
	for _, tier := range candidates {
		choice, ok := c.config.suiteFor(clientHello, tier)
		dheWithoutGroup = dheWithoutGroup || choice.dheWithoutGroup
		if ok {
			hs.suite, hs.certificate, hs.curve, hs.dhGroup = choice.suite, choice.certificate, choice.curve, choice.dhGroup
			// As on the client: the codec reads the key exchange
			// messages, for the state machine and for the trace, in
			// the form the suite gives them.
			c.keyExchange = hs.suite.KeyExchange
			break
		}
	}
	if hs.suite == nil {
		if dheWithoutGroup {
			// RFC 7919, 4: "If the server ... cannot find an acceptable
			// group and no other suite is acceptable, it MUST respond with an
			// insufficient_security(71) alert."
			return record.Errorf(record.AlertInsufficientSecurity, "no FFDHE group in common with the client's supported_groups, and no other suite in common")
		}
		if len(clientHello.SupportedSignatureAlgorithms) == 0 {
			// RFC 9155, 2: without signature_algorithms only SHA-1 is
			// implied, and we do not sign with it unless told to.
			return record.Errorf(record.AlertHandshakeFailure, "no cipher suite in common (client offered %d suites, and no signature_algorithms: glasstls does not sign with SHA-1, RFC 9155)", len(clientHello.CipherSuites))
		}
		return record.Errorf(record.AlertHandshakeFailure, "no cipher suite in common (client offered %d suites)", len(clientHello.CipherSuites))
	}
	hs.transcript.hash = hs.suite.PRFHash

	hs.useExtendedMasterSecret = clientHello.ExtendedMasterSecret && !c.config.DisableExtendedMasterSecret
	hs.useEncryptThenMAC = clientHello.EncryptThenMAC && !hs.suite.IsAEAD() && !c.config.DisableEncryptThenMAC
	return nil
}

// sendServerHello answers with our choices (RFC 5246, 7.4.1.3).
func (hs *serverHandshakeState) sendServerHello() error {
	c := hs.c
	serverRandom, err := c.randomBytes(prf.RandomLen)
	if err != nil {
		return err
	}
	hs.serverRandom = serverRandom
	c.traceValue(valueServerRandom, serverRandom)

	serverHello := &wire.ServerHello{
		Vers:                 VersionTLS12,
		Random:               serverRandom,
		SessionID:            hs.sessionID,
		CipherSuite:          hs.suite.ID,
		CompressionMethod:    wire.CompressionNone,
		ExtendedMasterSecret: hs.useExtendedMasterSecret,
		EncryptThenMAC:       hs.useEncryptThenMAC,
		TicketSupported:      hs.sendTicket,
	}
	// RFC 5746, 3.6: answer the SCSV or the extension with an empty renegotiation_info.
	if hs.clientHello.SecureRenegotiationSupported || slices.Contains(hs.clientHello.CipherSuites, wire.SCSVRenegotiation) {
		serverHello.SecureRenegotiationSupported = true
	}
	// RFC 8422, 5.2: only the uncompressed point format, and say so.
	if hs.suite.KeyExchange == cipher.KeyExchangeECDHE && len(hs.clientHello.SupportedPoints) > 0 {
		if !slices.Contains(hs.clientHello.SupportedPoints, wire.PointFormatUncompressed) {
			return record.Errorf(record.AlertIllegalParameter, "client does not support uncompressed points")
		}
		serverHello.SupportedPoints = []uint8{wire.PointFormatUncompressed}
	}
	// RFC 7301, 3.2: our first preference that the client also offered; if
	// both sides speak ALPN but share nothing, no_application_protocol.
	if len(hs.clientHello.ALPNProtocols) > 0 && len(c.config.NextProtos) > 0 {
		for _, p := range c.config.NextProtos {
			if slices.Contains(hs.clientHello.ALPNProtocols, p) {
				serverHello.ALPNProtocol = p
				break
			}
		}
		if serverHello.ALPNProtocol == "" {
			return record.Errorf(record.AlertNoApplicationProtocol, "client offered ALPN %q, server speaks %q", hs.clientHello.ALPNProtocols, c.config.NextProtos)
		}
	}
	// RFC 6066, 3: an empty server_name in ServerHello acknowledges it,
	// but "When resuming a session, the server MUST NOT include a
	// server_name extension in the server hello."
	serverHello.ServerNameAck = hs.session == nil && hs.clientHello.ServerName != ""
	// RFC 6066, 8: acknowledge status_request only with a response to
	// staple, and only in a full handshake (a resumption sends no
	// Certificate to staple it to).
	serverHello.OCSPStapling = hs.session == nil && hs.clientHello.OCSPStapling &&
		hs.certificate != nil && len(hs.certificate.OCSPStaple) > 0

	hs.serverHello = serverHello
	return c.writeHandshakeMessage(&hs.transcript, serverHello)
}

// sendCertificate sends our chain (RFC 5246, 7.4.2).
func (hs *serverHandshakeState) sendCertificate() error {
	if hs.suite.Auth == cipher.AuthPSK {
		return nil // RFC 4279, 2: the key authenticates us, no certificate
	}
	return hs.c.writeHandshakeMessage(&hs.transcript, &wire.Certificate{Certificates: hs.certificate.Certificate})
}

// sendServerKeyExchange sends a fresh ECDHE public key (RFC 8422, 5.4) or
// DHE group and public value (RFC 5246, 7.4.3), signed with the
// certificate's key over both randoms. RSA key exchange sends none: the
// certificate's key does the job (RFC 5246, 7.4.3).
func (hs *serverHandshakeState) sendServerKeyExchange() error {
	var serverKeyExchange *wire.ServerKeyExchange
	var err error
	switch hs.suite.KeyExchange {
	case cipher.KeyExchangeECDHE:
		serverKeyExchange, err = hs.newECDHEServerKeyExchange()
	case cipher.KeyExchangeDHE:
		serverKeyExchange, err = hs.newDHEServerKeyExchange()
	case cipher.KeyExchangePSK, cipher.KeyExchangeECDHEPSK:
		// Unsigned: the pre-shared key, not a certificate, proves who we are.
		serverKeyExchange, err = hs.pskServerKeyExchange()
		if err != nil {
			return record.Errorf(record.AlertInternalError, "%w", err)
		}
		if serverKeyExchange == nil {
			return nil
		}
		return hs.c.writeHandshakeMessage(&hs.transcript, serverKeyExchange)
	default:
		return nil
	}
	if err != nil {
		return record.Errorf(record.AlertInternalError, "%w", err)
	}
	c := hs.c
	signer := hs.certificate.PrivateKey.(crypto.Signer) // certificateSuits took only a Signer
	scheme, err := selectSignatureScheme(signer.Public(), hs.certificate.signingSchemes(c.config.signatureSchemes()), hs.clientHello.SupportedSignatureAlgorithms)
	if err != nil {
		return record.Errorf(record.AlertHandshakeFailure, "%w", err)
	}
	signed := signedParams(hs.clientRandom, hs.serverRandom, serverKeyExchange.Params())
	signature, err := signHandshake(c.config.rand(), signer, scheme, signed)
	if err != nil {
		return record.Errorf(record.AlertInternalError, "signing ServerKeyExchange: %w", err)
	}
	serverKeyExchange.SignatureScheme = scheme
	serverKeyExchange.Signature = signature
	return c.writeHandshakeMessage(&hs.transcript, serverKeyExchange)
}

// newECDHEServerKeyExchange makes our ephemeral ECDHE key on the chosen
// curve and the unsigned ServerECDHParams that carry it (RFC 8422, 5.4).
func (hs *serverHandshakeState) newECDHEServerKeyExchange() (*wire.ServerKeyExchange, error) {
	serverPrivateKey, err := cipher.GenerateECDHEKey(hs.c.config.rand(), hs.curve)
	if err != nil {
		return nil, err
	}
	hs.serverPrivateKey = serverPrivateKey
	return &wire.ServerKeyExchange{
		CurveType: wire.CurveTypeNamedCurve,
		Curve:     hs.curve,
		PublicKey: cipher.ECDHEPublicKey(serverPrivateKey),
	}, nil
}

// newDHEServerKeyExchange makes our ephemeral DHE key in the chosen group
// and the unsigned ServerDHParams that carry it: dh_p, dh_g and
// dh_Ys = g^Xs mod p (RFC 5246, 7.4.3).
func (hs *serverHandshakeState) newDHEServerKeyExchange() (*wire.ServerKeyExchange, error) {
	c := hs.c
	group, _ := cipher.FFDHEGroup(hs.dhGroup) // chooseFFDHEGroup picks only known groups
	serverDHPrivateKey, err := cipher.GenerateDHEKey(c.config.rand(), group)
	if err != nil {
		return nil, err
	}
	hs.serverDHPrivateKey = serverDHPrivateKey
	c.traceDHGroup(group)
	c.traceDHKey(true, serverDHPrivateKey)
	return &wire.ServerKeyExchange{
		KeyExchange: cipher.KeyExchangeDHE,
		DHP:         group.P.Bytes(),
		DHG:         group.G.Bytes(),
		DHYs:        cipher.DHEPublicKey(serverDHPrivateKey),
	}, nil
}

// sendCertificateRequest asks for a client certificate when the policy says
// so (RFC 5246, 7.4.4), naming the CAs we trust.
func (hs *serverHandshakeState) sendCertificateRequest() error {
	c := hs.c
	// RFC 4279 has no client certificates: the key authenticates the client.
	if c.config.ClientAuth == NoClientCert || hs.suite.Auth == cipher.AuthPSK {
		return nil
	}
	certificateRequest := &wire.CertificateRequest{
		CertificateTypes:             []uint8{wire.CertTypeRSASign, wire.CertTypeECDSASign},
		SupportedSignatureAlgorithms: c.config.signatureSchemes(),
	}
	if c.config.ClientCAs != nil {
		certificateRequest.CertificateAuthorities = c.config.ClientCAs.Subjects()
	}
	return c.writeHandshakeMessage(&hs.transcript, certificateRequest)
}

// sendServerHelloDone ends the server's first flight (RFC 5246, 7.4.5).
func (hs *serverHandshakeState) sendServerHelloDone() error {
	return hs.c.writeHandshakeMessage(&hs.transcript, &wire.ServerHelloDone{})
}

// readClientCertificate reads the client's chain when we asked for one
// (RFC 5246, 7.4.6) and applies the ClientAuth policy to it.
func (hs *serverHandshakeState) readClientCertificate() error {
	c := hs.c
	if c.config.ClientAuth == NoClientCert || hs.suite.Auth == cipher.AuthPSK {
		return nil // no CertificateRequest went out
	}
	certificate, err := expectMessage[*wire.Certificate](c, &hs.transcript, "Certificate")
	if err != nil {
		return err
	}
	if len(certificate.Certificates) == 0 {
		// RFC 5246, 7.4.6: a server that requires a certificate "MAY respond
		// with a fatal handshake_failure alert".
		if c.config.ClientAuth == RequireAnyClientCert || c.config.ClientAuth == RequireAndVerifyClientCert {
			return record.Errorf(record.AlertHandshakeFailure, "client sent no certificate, and one is required")
		}
		return nil
	}
	clientCertificates, err := hs.c.parseCertificates(certificate.Certificates)
	if err != nil {
		return err
	}
	// RFC 5246, 7.4.6: the certificate type must be one the
	// CertificateRequest listed: rsa_sign, or ecdsa_sign, which RFC 8422,
	// 5.5 extends to EdDSA keys.
	switch clientCertificates[0].PublicKey.(type) {
	case *rsa.PublicKey, *RSAPSSPublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
	default:
		return record.Errorf(record.AlertUnsupportedCertificate, "client certificate's %s is neither RSA, ECDSA nor Ed25519", peerKeyName(clientCertificates[0]))
	}
	hs.clientCertificates = clientCertificates
	// The client's key signs the CertificateVerify.
	if err := checkPeerKeyUsage(clientCertificates[0], hs.suite.KeyExchange, true); err != nil {
		return err
	}
	if c.config.ClientAuth == VerifyClientCertIfGiven || c.config.ClientAuth == RequireAndVerifyClientCert {
		chains, err := verifyPeerChain(c.config, clientCertificates, "", x509.ExtKeyUsageClientAuth, c.config.ClientCAs)
		if err != nil {
			return err
		}
		hs.verifiedChains = chains
	}
	return nil
}

// readClientKeyExchange reads the client's share and computes the
// pre-master secret (RFC 5246, 7.4.7).
func (hs *serverHandshakeState) readClientKeyExchange() ([]byte, error) {
	c := hs.c
	clientKeyExchange, err := expectMessage[*wire.ClientKeyExchange](c, &hs.transcript, "ClientKeyExchange")
	if err != nil {
		return nil, err
	}
	switch hs.suite.KeyExchange {
	case cipher.KeyExchangeRSA:
		encryptedPreMasterSecret, ok := clientKeyExchange.RSAEncryptedPreMasterSecret()
		if !ok {
			return nil, record.Errorf(record.AlertDecodeError, "malformed RSA ClientKeyExchange")
		}
		// RFC 5246, 7.4.7.1: the version inside must be the one the client
		// offered in ClientHello (a rollback check), and a bad padding, a bad
		// length and a bad version must all look the same from outside:
		// DecryptRSAPreMasterSecret answers each with a random pre-master
		// secret, so the failure shows only at Finished (no Bleichenbacher oracle).
		decrypter := hs.certificate.PrivateKey.(crypto.Decrypter) // certificateSuits took only a Decrypter for RSA key exchange
		preMasterSecret, err := cipher.DecryptRSAPreMasterSecret(c.config.rand(), decrypter, encryptedPreMasterSecret, hs.clientHello.Vers)
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "%w", err)
		}
		return preMasterSecret, nil

	case cipher.KeyExchangePSK, cipher.KeyExchangeECDHEPSK:
		return hs.pskPreMasterSecret(clientKeyExchange) // psk.go

	case cipher.KeyExchangeDHE:
		clientPublicValue, ok := clientKeyExchange.DHEPublicValue()
		if !ok {
			return nil, record.Errorf(record.AlertDecodeError, "malformed DHE ClientKeyExchange")
		}
		// RFC 7919, 5.1: 1 < dh_Yc < p-1 and in the order-q subgroup;
		// RFC 5246, 8.1.2: Z with its leading zero bytes stripped.
		preMasterSecret, err := cipher.DHESharedSecret(hs.serverDHPrivateKey, clientPublicValue)
		if err != nil {
			return nil, record.Errorf(record.AlertIllegalParameter, "client's DHE public value: %w", err)
		}
		return preMasterSecret, nil

	default: // ECDHE
		clientPublicKey, ok := clientKeyExchange.ECDHEPublicKey()
		if !ok {
			return nil, record.Errorf(record.AlertDecodeError, "malformed ECDHE ClientKeyExchange")
		}
		preMasterSecret, err := cipher.ECDHESharedSecret(hs.serverPrivateKey, clientPublicKey)
		if err != nil {
			return nil, record.Errorf(record.AlertIllegalParameter, "client's ECDHE public key: %w", err)
		}
		return preMasterSecret, nil
	}
}

// computeMasterSecret: see the client's; both must come out equal.
func (hs *serverHandshakeState) computeMasterSecret(preMasterSecret []byte) []byte {
	if hs.useExtendedMasterSecret {
		sessionHash := hs.transcript.sum()
		hs.c.traceValue(valueSessionHash, sessionHash) // through ClientKeyExchange (RFC 7627, 3)
		return prf.ExtendedMasterSecret(hs.suite.PRFHash, preMasterSecret, sessionHash)
	}
	return prf.MasterSecret(hs.suite.PRFHash, preMasterSecret, hs.clientRandom, hs.serverRandom)
}

// readCertificateVerify checks the client's signature over the transcript
// up to ClientKeyExchange (RFC 5246, 7.4.8): proof it holds the key of the
// certificate it sent. A bad signature is decrypt_error.
func (hs *serverHandshakeState) readCertificateVerify() error {
	if len(hs.clientCertificates) == 0 {
		return nil
	}
	c := hs.c
	signedMessages := slices.Clone(hs.transcript.messages)
	certificateVerify, err := expectMessage[*wire.CertificateVerify](c, &hs.transcript, "CertificateVerify")
	if err != nil {
		return err
	}
	if !slices.Contains(c.config.signatureSchemes(), certificateVerify.SignatureScheme) {
		return record.Errorf(record.AlertIllegalParameter, "client signed with %v, which was not offered", certificateVerify.SignatureScheme)
	}
	if err := verifyHandshake(hs.clientCertificates[0].PublicKey, certificateVerify.SignatureScheme, signedMessages, certificateVerify.Signature); err != nil {
		// RFC 5246, 7.2.2: a signature that does not verify is
		// decrypt_error; a scheme the certificate's key cannot make at all
		// (an ECDSA scheme with an RSA key) is illegal_parameter.
		if errors.Is(err, errBadSignature) {
			return record.Errorf(record.AlertDecryptError, "CertificateVerify: %w", err)
		}
		return record.Errorf(record.AlertIllegalParameter, "CertificateVerify: %w", err)
	}
	hs.clientSignatureScheme = certificateVerify.SignatureScheme
	return nil
}

// connectionState is what this handshake has settled, as ConnectionState
// reports it (see the client's): VerifyConnection sees it before the
// handshake ends; the Conn keeps it once it has.
func (hs *serverHandshakeState) connectionState() ConnectionState {
	state := ConnectionState{
		Version:              VersionTLS12,
		DidResume:            hs.session != nil,
		CipherSuite:          hs.suite.ID,
		ServerName:           hs.clientHello.ServerName,
		NegotiatedProtocol:   hs.serverHello.ALPNProtocol,
		ExtendedMasterSecret: hs.useExtendedMasterSecret,
		EncryptThenMAC:       hs.useEncryptThenMAC,
		PeerSignatureScheme:  hs.clientSignatureScheme,
		PeerCertificates:     hs.clientCertificates,
		VerifiedChains:       hs.verifiedChains,
		PSKIdentity:          hs.pskIdentity,
		TLSUnique:            tlsUnique(hs.firstFinished, hs.session != nil, hs.useExtendedMasterSecret),
	}
	// A resumption has no key exchange, so no group.
	if hs.session == nil {
		switch hs.suite.KeyExchange {
		case cipher.KeyExchangeECDHE, cipher.KeyExchangeECDHEPSK:
			state.CurveID = hs.curve
		case cipher.KeyExchangeDHE:
			state.CurveID = hs.dhGroup
		}
	}
	return state
}

// runVerifyConnection hands the application the client's identity once it
// is proven: after CertificateVerify showed the client holds the key of the
// certificate it sent. It runs even when no certificate came, so a policy
// can refuse anonymous clients itself. An error ends the handshake with
// bad_certificate.
func (hs *serverHandshakeState) runVerifyConnection() error {
	c := hs.c
	if c.config.VerifyConnection == nil {
		return nil
	}
	if err := c.config.VerifyConnection(hs.connectionState()); err != nil {
		return record.Errorf(record.AlertBadCertificate, "VerifyConnection: %w", err)
	}
	return nil
}

// readFinished checks the client's Finished (RFC 5246, 7.4.9).
func (hs *serverHandshakeState) readFinished(masterSecret []byte) error {
	expectedVerifyData := finishedVerifyData(hs.suite, masterSecret, clientFinished, &hs.transcript)
	hs.c.traceVerifyData(clientFinished, &hs.transcript, expectedVerifyData)
	clientFinished, err := expectMessage[*wire.Finished](hs.c, &hs.transcript, "Finished")
	if err != nil {
		return hs.pskFinishedError(err) // RFC 4279, 2: a wrong key is decrypt_error
	}
	if subtle.ConstantTimeCompare(clientFinished.VerifyData, expectedVerifyData) != 1 {
		return record.Errorf(record.AlertDecryptError, "client Finished verify_data is wrong: the handshake was tampered with or the keys differ")
	}
	hs.noteFinished(expectedVerifyData)
	return nil
}

// sendFinished sends our Finished under the new keys (RFC 5246, 7.4.9).
func (hs *serverHandshakeState) sendFinished(masterSecret []byte) error {
	verifyData := finishedVerifyData(hs.suite, masterSecret, serverFinished, &hs.transcript)
	hs.c.traceVerifyData(serverFinished, &hs.transcript, verifyData)
	hs.noteFinished(verifyData)
	return hs.c.writeHandshakeMessage(&hs.transcript, &wire.Finished{VerifyData: verifyData})
}

// curveOfECDSAKey names an ECDSA key's curve as a TLS group.
func curveOfECDSAKey(key *ecdsa.PublicKey) (cipher.CurveID, bool) {
	switch key.Curve {
	case elliptic.P256():
		return cipher.CurveP256, true
	case elliptic.P384():
		return cipher.CurveP384, true
	case elliptic.P521():
		return cipher.CurveP521, true
	}
	return 0, false
}
