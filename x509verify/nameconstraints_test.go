package x509verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDNSWithin(t *testing.T) {
	tests := []struct {
		name, constraint string
		within, excluded bool
	}{
		{"example.com", "example.com", true, true},
		{"www.example.com", "example.com", true, true},
		{"WWW.EXAMPLE.com", "example.COM", true, true},
		{"wwwexample.com", "example.com", false, false}, // whole labels only
		{"example.com", ".example.com", false, false},   // leading dot: strictly below
		{"a.example.com", ".example.com", true, true},
		{"anything.org", "", true, true},
		{"*.example.com", "example.com", true, true},
		{"*.example.com", "secret.example.com", false, true}, // the wildcard could stand for it
		{"*.example.com", ".secret.example.com", false, false},
		{"*.example.com", "a.b.example.com", false, false},
		{"*.example.com", "other.org", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"~"+tt.constraint, func(t *testing.T) {
			assert.Equal(t, tt.within, dnsWithin(tt.name, tt.constraint), "within")
			assert.Equal(t, tt.excluded, dnsExcluded(tt.name, tt.constraint), "excluded")
		})
	}
}

func TestEmailWithin(t *testing.T) {
	tests := []struct {
		mailbox, constraint string
		within, excluded    bool
	}{
		{"root@example.com", "root@example.com", true, true},
		{"root@EXAMPLE.com", "root@example.com", true, true},
		{"Root@example.com", "root@example.com", false, false}, // local part is exact
		{"anyone@example.com", "example.com", true, true},
		{"anyone@mail.example.com", "example.com", false, false},
		{"anyone@mail.example.com", ".example.com", true, true},
		{"anyone@example.com", ".example.com", false, false},
		{"no-at-sign", "example.com", false, true}, // unparseable: refused either way
		{"@example.com", "example.com", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.mailbox+"~"+tt.constraint, func(t *testing.T) {
			assert.Equal(t, tt.within, emailWithin(tt.mailbox, tt.constraint), "within")
			assert.Equal(t, tt.excluded, emailExcluded(tt.mailbox, tt.constraint), "excluded")
		})
	}
}

func TestURIWithin(t *testing.T) {
	tests := []struct {
		uri, constraint  string
		host             string
		within, excluded bool
	}{
		{"https://example.com/path", "example.com", "example.com", true, true},
		{"https://user@www.example.com:8443/x?y#z", ".example.com", "www.example.com", true, true},
		{"https://www.example.com", "example.com", "www.example.com", false, false},
		{"https://[2001:db8::1]:443/", "example.com", "2001:db8::1", false, true},
		{"https://192.0.2.1/", "example.com", "192.0.2.1", false, true},
		{"urn:example:thing", "example.com", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.uri+"~"+tt.constraint, func(t *testing.T) {
			assert.Equal(t, tt.host, uriHost(tt.uri))
			assert.Equal(t, tt.within, uriWithin(tt.uri, tt.constraint), "within")
			assert.Equal(t, tt.excluded, uriExcluded(tt.uri, tt.constraint), "excluded")
		})
	}
}
