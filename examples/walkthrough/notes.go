package main

import (
	"fmt"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
)

// sideNotes returns the narration that follows an event: what the side
// that traced it does with it, and the glasstls function that does it. It
// says what the trace cannot show: checks, choices and decryptions that
// leave no bytes on the wire.
// The story so far tells which connection the events belong to.
func sideNotes(st *story) func(event) []string {
	return func(e event) []string {
		m := e.message
		if m == nil || m.Sent {
			return nil
		}
		if m.Client {
			return clientNotes(m, st)
		}
		return serverNotes(m, st)
	}
}

func serverNotes(m *handshake.MessageTrace, st *story) []string {
	suite := st.suite
	switch m.Name {
	case "ClientHello":
		if st.resumed {
			return []string{"checkForResumption finds the offered session (" + st.mechanism + "), still valid for this suite and server name: the abbreviated handshake follows (resumeHandshake)."}
		}
		return []string{
			"readClientHello checks the offer: TLS 1.2 among the versions, the null compression method, an empty renegotiation_info (RFC 5746, 3.6).",
			"checkForResumption looks for an offered session (a ticket it can open, else a session ID in its cache); none offered or none usable, so a full handshake.",
			fmt.Sprintf("chooseParameters takes the first suite of the server's own list that the client also offered (server preference, as OpenSSL's SSL_OP_CIPHER_SERVER_PREFERENCE): %s; then extended master secret and encrypt-then-MAC if the client offered them and the server's Config allows.", suite.Name),
		}
	case "Certificate":
		return []string{"readClientCertificate verifies the client's chain against Config.ClientCAs (x509verify.Verify, usage clientAuth): a client certificate is checked like a server's, minus the host name (RFC 5246, 7.4.6)."}
	case "ClientKeyExchange":
		if suite.KeyExchange == cipher.KeyExchangeRSA {
			return []string{
				"readClientKeyExchange decrypts EncryptedPreMasterSecret with the certificate's private key (cipher.DecryptRSAPreMasterSecret).",
				"Its first two bytes must be the client_version of the ClientHello, 0x0303: a man in the middle who rewrote the hello to an older version is caught here (the version rollback check, RFC 5246, 7.4.7.1).",
				"On bad padding, a bad length or a bad version it does not stop: it goes on with 48 random bytes instead, so the handshake fails only at Finished and an attacker learns nothing from the error or the timing (Bleichenbacher's attack).",
			}
		}
		if suite.KeyExchange == cipher.KeyExchangeDHE {
			return []string{
				"readClientKeyExchange checks dh_Yc first: 1 < Yc < p-1 and Yc^q mod p = 1 (RFC 7919, 5.1); a 0, 1, p-1 or a value outside the prime-order subgroup is illegal_parameter.",
				"Then Z = Yc^Xs mod p with the server's private exponent (cipher.DHESharedSecret), its leading zero bytes stripped (RFC 5246, 8.1.2): the same number the client got as Ys^Xc mod p.",
			}
		}
		return []string{"readClientKeyExchange multiplies the server's ephemeral private key (made for ServerKeyExchange) with the client's public key (cipher.ECDHESharedSecret): the same shared secret the client computed, though neither private key crossed the wire."}
	case "CertificateVerify":
		return []string{"readCertificateVerify checks the client's signature over every handshake message so far with the client certificate's public key: proof that the client holds the private key, not just a copy of the certificate (RFC 5246, 7.4.8)."}
	case "Finished":
		return []string{"readFinished computes what verify_data must be from its own master secret and transcript, and compares in constant time: equal, so both sides saw the same messages and hold the same keys (RFC 5246, 7.4.9)."}
	}
	return nil
}

func clientNotes(m *handshake.MessageTrace, st *story) []string {
	switch m.Name {
	case "ServerHello":
		return []string{"readServerHello checks the server's choices against the offer: a suite it offered, TLS 1.2, only extensions it asked for; checkResumption compares the session_id with the one it offered."}
	case "Certificate":
		return []string{"readServerCertificate verifies the chain up to a root in Config.RootCAs, the name \"localhost\" against the leaf's SAN, the dates and the key usage (x509verify.Verify)."}
	case "ServerKeyExchange":
		if st.suite.KeyExchange == cipher.KeyExchangeDHE {
			return []string{
				"readServerKeyExchange checks the group first: p of at least 2048 bits (cipher.MinDHPrimeBits; Logjam broke 512 and threatens 1024), recognised here as RFC 7919's ffdhe2048, and 1 < Ys < p-1 in the prime-order subgroup.",
				"Then the signature over client_random + server_random + ServerDHParams with the leaf's public key: only the holder of the certificate's key could have sent this group and this Ys for these randoms (RFC 5246, 7.4.3).",
			}
		}
		return []string{"readServerKeyExchange checks the signature over client_random + server_random + params with the leaf's public key: only the holder of the certificate's key could have made this ECDHE key share for these randoms (RFC 8422, 5.4)."}
	case "CertificateRequest":
		return []string{"readCertificateRequestAndServerHelloDone: the server wants a certificate; the client picks one whose key type and CA fit the request."}
	case "NewSessionTicket":
		return []string{"readNewSessionTicket keeps the ticket with the session in Config.ClientSessionCache: an opaque blob, sealed with a key only the server knows (RFC 5077, 3.3)."}
	case "Finished":
		return []string{"readFinished computes the server's verify_data on its side and compares: equal, so the server holds the same master secret and saw the same messages."}
	}
	return nil
}
