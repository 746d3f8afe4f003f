package handshake_test

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/x509verify"
)

// A server from a certificate and key, and a client that trusts the CA
// that issued them: the whole API in one place.
func Example() {
	cert, err := handshake.LoadX509KeyPair("../testdata/server-ecdsa.pem", "../testdata/server-ecdsa-key.pem")
	if err != nil {
		log.Fatal(err)
	}
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", &handshake.Config{Certificates: []handshake.Certificate{cert}})
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		io.Copy(conn, conn) // echo; the handshake runs on the first Read
	}()

	caPEM, err := os.ReadFile("../testdata/ca.pem")
	if err != nil {
		log.Fatal(err)
	}
	roots := x509verify.NewPool()
	roots.AppendPEM(caPEM)
	conn, err := handshake.Dial("tcp", ln.Addr().String(), &handshake.Config{RootCAs: roots, ServerName: "localhost"})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	state := conn.ConnectionState()
	suite, _ := cipher.SuiteByID(state.CipherSuite)
	fmt.Println(suite.Name)
	fmt.Println("extended master secret:", state.ExtendedMasterSecret)

	fmt.Fprintln(conn, "hello")
	reply := make([]byte, 6)
	io.ReadFull(conn, reply)
	fmt.Printf("%q\n", reply)
	// Output:
	// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	// extended master secret: true
	// "hello\n"
}

// Client wraps a connection you already have; the handshake runs on the
// first Read or Write, or when you call Handshake.
func ExampleClient() {
	rawConn, err := net.Dial("tcp", "example.com:443")
	if err != nil {
		log.Fatal(err)
	}
	conn := handshake.Client(rawConn, &handshake.Config{ServerName: "example.com"}) // system roots
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		log.Fatal(err) // a *record.AlertError says which alert ended it
	}
}
