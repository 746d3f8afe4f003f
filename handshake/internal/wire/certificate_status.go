package wire

import (
	"golang.org/x/crypto/cryptobyte"
)

// StatusTypeOCSP is CertificateStatusType ocsp, the only one RFC 6066, 8
// defines.
const StatusTypeOCSP uint8 = 1

// CertificateStatus is RFC 6066, 8's
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

func (m *CertificateStatus) Type() uint8 { return TypeCertificateStatus }

func (m *CertificateStatus) decode(d *decoder) {
	*m = CertificateStatus{Raw: d.data}
	var statusType uint8
	d.uint8(&statusType, "status_type", statusTypeValue, "CertificateStatusType (RFC 6066, 8)")
	d.check(statusType == StatusTypeOCSP)
	d.opaque(3, &m.Response, "response", "the DER OCSPResponse for the leaf (RFC 6960, 4.2.1), stapled")
	d.check(len(m.Response) > 0)
}
