package handshake

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// Dialer dials TLS connections: a net.Dialer for the transport and a Config
// for TLS.
type Dialer struct {
	// NetDialer is used for the TCP connection; nil means a zero net.Dialer.
	NetDialer *net.Dialer
	// Config is the TLS configuration; ServerName defaults to the host of addr.
	Config *Config
}

// Dial connects to addr and runs the handshake.
func (d *Dialer) Dial(network, addr string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, addr)
}

// DialContext connects to addr and runs the handshake, both bounded by ctx.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	netDialer := d.NetDialer
	if netDialer == nil {
		netDialer = &net.Dialer{}
	}
	config := d.Config
	if config == nil {
		config = &Config{}
	}
	if config.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		config = config.Clone()
		config.ServerName = host
	}
	rawConn, err := netDialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	conn := Client(rawConn, config)
	if err := conn.HandshakeContext(ctx); err != nil {
		rawConn.Close()
		return nil, err
	}
	return conn, nil
}

// Dial connects to addr over network and runs the handshake.
func Dial(network, addr string, config *Config) (*Conn, error) {
	return DialWithDialer(&net.Dialer{}, network, addr, config)
}

// DialWithDialer is Dial with a net.Dialer for the transport (and its Timeout
// for the whole handshake).
func DialWithDialer(dialer *net.Dialer, network, addr string, config *Config) (*Conn, error) {
	ctx := context.Background()
	if dialer.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, dialer.Timeout)
		defer cancel()
	}
	conn, err := (&Dialer{NetDialer: dialer, Config: config}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return conn.(*Conn), nil
}

type listener struct {
	net.Listener
	config *Config
}

// Accept waits for a connection and wraps it as a server Conn; the
// handshake runs on its first Read or Write (so Accept never blocks on a
// slow client).
func (l *listener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return Server(conn, l.config), nil
}

// NewListener wraps inner so that every accepted connection is a server Conn.
func NewListener(inner net.Listener, config *Config) net.Listener {
	return &listener{Listener: inner, config: config}
}

// Listen listens on laddr and returns a listener of server Conns. config
// must hold at least one Certificate, each with its leaf's private key, or
// set GetCertificate or GetConfigForClient; Listen reports a Config that
// cannot work before it listens.
func Listen(network, laddr string, config *Config) (net.Listener, error) {
	if config == nil {
		return nil, errors.New("glasstls: Listen needs a Config with a Certificate (or GetCertificate)")
	}
	if err := config.checkServerConfig(); err != nil {
		return nil, err
	}
	inner, err := net.Listen(network, laddr)
	if err != nil {
		return nil, err
	}
	return NewListener(inner, config), nil
}

// LoadX509KeyPair reads a PEM certificate chain and a PEM private key from files.
func LoadX509KeyPair(certFile, keyFile string) (Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return Certificate{}, err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return Certificate{}, err
	}
	return X509KeyPair(certPEM, keyPEM)
}

// X509KeyPair parses a PEM certificate chain (leaf first) and a PEM private
// key (PKCS#8, PKCS#1 or SEC 1), and checks that they belong together.
func X509KeyPair(certPEM, keyPEM []byte) (Certificate, error) {
	var cert Certificate
	for {
		var block *pem.Block
		block, certPEM = pem.Decode(certPEM)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			cert.Certificate = append(cert.Certificate, block.Bytes)
		}
	}
	if len(cert.Certificate) == 0 {
		return Certificate{}, errors.New("glasstls: no CERTIFICATE block in the certificate PEM")
	}
	leaf, err := parseCertificate(cert.Certificate[0])
	if err != nil {
		return Certificate{}, fmt.Errorf("glasstls: parsing the leaf certificate: %w", err)
	}
	cert.Leaf = leaf

	var keyBlock *pem.Block
	for {
		keyBlock, keyPEM = pem.Decode(keyPEM)
		if keyBlock == nil {
			return Certificate{}, errors.New("glasstls: no PRIVATE KEY block in the key PEM")
		}
		if strings.HasSuffix(keyBlock.Type, "PRIVATE KEY") {
			break
		}
	}
	key, err := parsePrivateKey(keyBlock.Bytes)
	if err != nil {
		return Certificate{}, err
	}
	// The key must be the leaf's: compare the public halves.
	signer, ok := key.(crypto.Signer)
	if !ok {
		return Certificate{}, fmt.Errorf("glasstls: private key %T cannot sign", key)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if pub, ok := signer.Public().(equaler); !ok || !pub.Equal(leaf.PublicKey) {
		return Certificate{}, errors.New("glasstls: private key does not match the certificate's public key")
	}
	cert.PrivateKey = key
	return cert, nil
}

func parsePrivateKey(der []byte) (crypto.PrivateKey, error) {
	if key, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return key, nil
	}
	if key, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return key, nil
	}
	if key, err := x509.ParseECPrivateKey(der); err == nil {
		return key, nil
	}
	if key, ok := parseRSAPSSPrivateKey(der); ok { // rsapss.go
		return key, nil
	}
	return nil, errors.New("glasstls: private key is not PKCS#8, PKCS#1 or SEC 1")
}
