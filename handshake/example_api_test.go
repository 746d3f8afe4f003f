package handshake_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/x509verify"
)

// exampleCertificate is the checked-in test server certificate (for
// localhost and 127.0.0.1), and exampleRoots the CA that issued it.
func exampleCertificate() handshake.Certificate {
	cert, err := handshake.LoadX509KeyPair("../testdata/server-ecdsa.pem", "../testdata/server-ecdsa-key.pem")
	if err != nil {
		log.Fatal(err)
	}
	return cert
}

func exampleRoots() *x509verify.Pool {
	caPEM, err := os.ReadFile("../testdata/ca.pem")
	if err != nil {
		log.Fatal(err)
	}
	roots := x509verify.NewPool()
	roots.AppendPEM(caPEM)
	return roots
}

// echo serves every connection of ln by echoing what it reads.
func echo(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			io.Copy(conn, conn)
		}()
	}
}

// Listen is net.Listen whose connections are TLS servers. Accept returns
// at once; each connection's handshake runs on its first Read or Write, so
// one slow client does not hold up the accept loop.
func ExampleListen() {
	config := &handshake.Config{
		Certificates:     []handshake.Certificate{exampleCertificate()},
		HandshakeTimeout: 10 * time.Second, // a client that stalls costs at most this
	}
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", config)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go echo(ln)

	conn, err := handshake.Dial("tcp", ln.Addr().String(), &handshake.Config{RootCAs: exampleRoots(), ServerName: "localhost"})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "ping")
	reply := make([]byte, 4)
	if _, err := io.ReadFull(conn, reply); err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(reply))
	// Output: ping
}

// A Dialer bounds the TCP connection and the handshake together, and
// takes ServerName from the address when the Config leaves it empty: here
// 127.0.0.1, which the certificate lists as an IP address (RFC 6066, 3
// keeps it out of server_name; x509verify matches it against the
// certificate's IP addresses instead).
func ExampleDialer() {
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", &handshake.Config{Certificates: []handshake.Certificate{exampleCertificate()}})
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go echo(ln)

	dialer := &handshake.Dialer{
		NetDialer: &net.Dialer{Timeout: 10 * time.Second},
		Config:    &handshake.Config{RootCAs: exampleRoots()},
	}
	conn, err := dialer.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	tlsConn := conn.(*handshake.Conn)
	fmt.Println("verified:", len(tlsConn.ConnectionState().VerifiedChains) > 0)
	// Output: verified: true
}

// ConnectionState is what the handshake settled: the version, the suite,
// the extensions both sides agreed to, and the peer's verified chain.
func ExampleConn_ConnectionState() {
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", &handshake.Config{
		Certificates: []handshake.Certificate{exampleCertificate()},
		NextProtos:   []string{"http/1.1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go echo(ln)

	conn, err := handshake.Dial("tcp", ln.Addr().String(), &handshake.Config{
		RootCAs:    exampleRoots(),
		ServerName: "localhost",
		NextProtos: []string{"h2", "http/1.1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	state := conn.ConnectionState()
	suite, _ := cipher.SuiteByID(state.CipherSuite)
	fmt.Printf("version %#04x, %s\n", state.Version, suite.Name)
	fmt.Println("group:", state.CurveID)
	fmt.Println("ALPN:", state.NegotiatedProtocol)
	fmt.Println("extended master secret:", state.ExtendedMasterSecret)
	fmt.Println("server:", state.PeerCertificates[0].Subject.CommonName)
	chain := state.VerifiedChains[0]
	fmt.Println("trusted root:", chain[len(chain)-1].Subject.CommonName)
	fmt.Println("resumed:", state.DidResume)
	// Output:
	// version 0x0303, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	// group: X25519
	// ALPN: http/1.1
	// extended master secret: true
	// server: localhost
	// trusted root: glasstls Test Root CA
	// resumed: false
}

// Session resumption (RFC 5246, 7.3, Figure 2; RFC 5077): a client with a
// ClientSessionCache keeps the session of its first connection, and its
// next connection to the same server reuses the master secret: no
// certificates, no key exchange. The server keeps its session cache and
// ticket keys in its Config, so it must use the same Config for both.
func ExampleConfig_sessionResumption() {
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", &handshake.Config{Certificates: []handshake.Certificate{exampleCertificate()}})
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go echo(ln)

	clientConfig := &handshake.Config{
		RootCAs:            exampleRoots(),
		ServerName:         "localhost",
		ClientSessionCache: session.NewLRUClientCache(16),
	}
	for range 2 {
		conn, err := handshake.Dial("tcp", ln.Addr().String(), clientConfig)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("resumed:", conn.ConnectionState().DidResume)
		conn.Close()
	}
	// Output:
	// resumed: false
	// resumed: true
}

// Both ends of a connection export the same keying material for the same
// label and context (RFC 5705), and nobody else can compute it: a way to
// bind an application protocol to this TLS connection.
func ExampleConn_ExportKeyingMaterial() {
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", &handshake.Config{Certificates: []handshake.Certificate{exampleCertificate()}})
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	const label = "EXPERIMENTAL glasstls example"
	serverSide := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		tlsConn := conn.(*handshake.Conn)
		if err := tlsConn.Handshake(); err != nil {
			serverSide <- nil
			return
		}
		keyingMaterial, _ := tlsConn.ExportKeyingMaterial(label, nil, 32)
		serverSide <- keyingMaterial
	}()

	conn, err := handshake.Dial("tcp", ln.Addr().String(), &handshake.Config{RootCAs: exampleRoots(), ServerName: "localhost"})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	clientSide, err := conn.ExportKeyingMaterial(label, nil, 32)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(clientSide), "bytes, the same on both sides:", bytes.Equal(clientSide, <-serverSide))
	// Output: 32 bytes, the same on both sides: true
}
