package x509verify

import (
	"crypto/x509"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchHostPattern(t *testing.T) {
	tests := []struct {
		pattern, host string
		want          bool
	}{
		{"www.example.com", "www.example.com", true},
		{"www.example.com", "example.com", false},
		{"*.example.com", "www.example.com", true},
		{"*.example.com", "example.com", false},     // RFC 9525, 6.3: one label, not zero
		{"*.example.com", "a.b.example.com", false}, // ... and not two
		{"w*.example.com", "www.example.com", false},
		{"*w.example.com", "www.example.com", false},
		{"www.*.com", "www.example.com", false},
		{"*.*.com", "a.example.com", false},
		{"*", "localhost", false},
		{"*.", "a.", false},
		{"", "", false},
		{"xn--bcher-kva.example", "xn--bcher-kva.example", true},
		{"*.xn--bcher-kva.example", "shop.xn--bcher-kva.example", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.host, func(t *testing.T) {
			assert.Equal(t, tt.want, matchHostPattern(tt.pattern, tt.host))
		})
	}
}

func TestCheckHostname(t *testing.T) {
	leaf := &x509.Certificate{
		DNSNames:    []string{"www.Example.com", "*.api.example.com", "XN--BCHER-KVA.example"},
		IPAddresses: []net.IP{net.ParseIP("192.0.2.1"), net.ParseIP("2001:db8::1")},
	}
	tests := []struct {
		name    string
		dnsName string
		ip      net.IP
		wantErr bool
		reason  string
	}{
		{name: "exact, case-insensitive", dnsName: "WWW.example.COM"},
		{name: "trailing dot ignored", dnsName: "www.example.com."},
		{name: "two trailing dots", dnsName: "www.example.com..", wantErr: true, reason: "empty label"},
		{name: "wildcard", dnsName: "v1.api.example.com"},
		{name: "wildcard one label only", dnsName: "a.v1.api.example.com", wantErr: true},
		{name: "A-label case-insensitive", dnsName: "xn--bcher-kva.EXAMPLE"},
		{name: "U-label refused", dnsName: "bücher.example", wantErr: true, reason: "A-labels"},
		{name: "wildcard as reference refused", dnsName: "*.api.example.com", wantErr: true, reason: "wildcard"},
		{name: "bad character", dnsName: "www.exa mple.com", wantErr: true, reason: "character"},
		{name: "IPv4 literal as DNSName", dnsName: "192.0.2.1"},
		{name: "IPv6 literal in brackets", dnsName: "[2001:db8::1]"},
		{name: "IP literal never matches DNS SAN", dnsName: "192.0.2.9", wantErr: true},
		{name: "IP option", ip: net.ParseIP("2001:db8::1")},
		{name: "IPv4-mapped IPv6 equals IPv4", ip: net.ParseIP("::ffff:192.0.2.1")},
		{name: "IP option mismatch", ip: net.ParseIP("192.0.2.2"), wantErr: true},
		{name: "both checked", dnsName: "www.example.com", ip: net.ParseIP("192.0.2.2"), wantErr: true},
		{name: "nothing asked", dnsName: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkHostname(leaf, tt.dnsName, tt.ip)
			if !tt.wantErr {
				assert.NoError(t, err)
				return
			}
			e := requireAs[*HostnameError](t, err)
			assert.Contains(t, e.Reason, tt.reason)
			if tt.reason == "" {
				assert.Len(t, e.Names, 5)
			}
		})
	}
}
