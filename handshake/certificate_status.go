package handshake

import (
	"golang.org/x/crypto/cryptobyte"
)

// OCSP stapling, RFC 6066, 8: the client asks with a status_request
// extension, the server that has an OCSP response for its certificate
// answers with an empty status_request in ServerHello and sends the response
// in a CertificateStatus message right after its Certificate. glasstls
// carries the response; checking it is the application's job (see
// Config.RequestOCSPStaple).

// statusTypeOCSP is CertificateStatusType ocsp, the only one RFC 6066, 8
// defines.
const statusTypeOCSP uint8 = 1

// certificateStatusMsg is RFC 6066, 8's
//
//	struct {
//	    CertificateStatusType status_type;   /* ocsp(1) */
//	    select (status_type) { case ocsp: OCSPResponse response; };
//	} CertificateStatus;
//	opaque OCSPResponse<1..2^24-1>;
//
// response is a DER OCSPResponse (RFC 6960, 4.2.1), kept opaque.
type certificateStatusMsg struct {
	raw      []byte
	response []byte
}

func (m *certificateStatusMsg) marshal() ([]byte, error) {
	if len(m.response) == 0 {
		return nil, marshalError("CertificateStatus", "empty OCSP response")
	}
	raw, err := marshalMessage(typeCertificateStatus, func(b *cryptobyte.Builder) {
		b.AddUint8(statusTypeOCSP)
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.response)
		})
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *certificateStatusMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeCertificateStatus)
	if !ok {
		return false
	}
	*m = certificateStatusMsg{raw: raw}
	var statusType uint8
	return s.ReadUint8(&statusType) && statusType == statusTypeOCSP &&
		readUint24Bytes(&s, &m.response) && len(m.response) > 0 && s.Empty()
}

// readCertificateStatus reads the server's stapled OCSP response, which
// follows its Certificate (RFC 6066, 8). Only a server that acknowledged
// status_request may send one, and even then it "MAY also choose not to":
// whatever message comes instead is handed back to the next step. The
// response is kept as sent, for ConnectionState and VerifyConnection.
func (hs *clientHandshakeState) readCertificateStatus() error {
	c := hs.c
	if !hs.serverHello.ocspStapling {
		return nil
	}
	msg, err := c.readHandshakeMessage(&hs.transcript)
	if err != nil {
		return err
	}
	certificateStatus, ok := msg.(*certificateStatusMsg)
	if !ok {
		c.unreadHandshakeMessage(msg)
		return nil
	}
	c.state.OCSPResponse = certificateStatus.response
	return nil
}

// sendCertificateStatus staples our OCSP response after the Certificate
// message (RFC 6066, 8), if ServerHello acknowledged status_request.
func (hs *serverHandshakeState) sendCertificateStatus() error {
	if !hs.serverHello.ocspStapling {
		return nil
	}
	return hs.c.writeHandshakeMessage(&hs.transcript, &certificateStatusMsg{response: hs.certificate.OCSPStaple})
}
