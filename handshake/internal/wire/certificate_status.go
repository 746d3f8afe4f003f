package wire

import (
	"golang.org/x/crypto/cryptobyte"
)

// statusTypeOCSP is CertificateStatusType ocsp, the only one RFC 6066, 8
// defines.
const StatusTypeOCSP uint8 = 1

// certificateStatusMsg is RFC 6066, 8's
//
//	struct {
//	    CertificateStatusType status_type;   /* ocsp(1) */
//	    select (status_type) { case ocsp: OCSPResponse response; };
//	} CertificateStatus;
//	opaque OCSPResponse<1..2^24-1>;
//
// response is a DER OCSPResponse (RFC 6960, 4.2.1), kept opaque.
type CertificateStatus struct {
	Raw      []byte
	Response []byte
}

func (m *CertificateStatus) Marshal() ([]byte, error) {
	if len(m.Response) == 0 {
		return nil, marshalError("CertificateStatus", "empty OCSP response")
	}
	raw, err := marshalMessage(TypeCertificateStatus, func(b *cryptobyte.Builder) {
		b.AddUint8(StatusTypeOCSP)
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.Response)
		})
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *CertificateStatus) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeCertificateStatus)
	if !ok {
		return false
	}
	*m = CertificateStatus{Raw: raw}
	var statusType uint8
	return s.ReadUint8(&statusType) && statusType == StatusTypeOCSP &&
		readUint24Bytes(&s, &m.Response) && len(m.Response) > 0 && s.Empty()
}
