package x509verify

import (
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/assert"
)

// FuzzAppendPEM: a trust bundle of any bytes never panics AppendPEM, and
// its answer says whether the pool gained a certificate.
func FuzzAppendPEM(f *testing.F) {
	p := newPKI(f)
	bundle := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.root.cert.Raw})
	bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.inter.cert.Raw})...)
	f.Add(bundle)
	f.Add(bundle[:len(bundle)/2])
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x00}}))
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: p.root.cert.Raw}))
	f.Fuzz(func(t *testing.T, data []byte) {
		pool := NewPool()
		added := pool.AppendPEM(data)
		assert.Equal(t, pool.Len() > 0, added)
		assert.LessOrEqual(t, len(pool.Subjects()), pool.Len())
	})
}
