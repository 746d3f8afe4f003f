package handshake

import (
	"github.com/glasstls/glasstls/handshake/internal/wire"
)

// OCSP stapling, RFC 6066, 8: the client asks with a status_request
// extension, the server that has an OCSP response for its certificate
// answers with an empty status_request in ServerHello and sends the response
// in a CertificateStatus message right after its Certificate. glasstls
// carries the response; checking it is the application's job (see
// Config.RequestOCSPStaple).

// readCertificateStatus reads the server's stapled OCSP response, which
// follows its Certificate (RFC 6066, 8). Only a server that acknowledged
// status_request may send one, and even then it "MAY also choose not to":
// whatever message comes instead is handed back to the next step. The
// response is kept as sent, for ConnectionState and VerifyConnection.
func (hs *clientHandshakeState) readCertificateStatus() error {
	c := hs.c
	if !hs.serverHello.OCSPStapling {
		return nil
	}
	msg, err := c.readHandshakeMessage(&hs.transcript)
	if err != nil {
		return err
	}
	certificateStatus, ok := msg.(*wire.CertificateStatus)
	if !ok {
		c.unreadHandshakeMessage(msg)
		return nil
	}
	hs.ocspResponse = certificateStatus.Response
	return nil
}

// sendCertificateStatus staples our OCSP response after the Certificate
// message (RFC 6066, 8), if ServerHello acknowledged status_request.
func (hs *serverHandshakeState) sendCertificateStatus() error {
	if !hs.serverHello.OCSPStapling {
		return nil
	}
	return hs.c.writeHandshakeMessage(&hs.transcript, &wire.CertificateStatus{Response: hs.certificate.OCSPStaple})
}
