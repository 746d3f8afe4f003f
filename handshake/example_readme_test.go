package handshake_test

// The client and the server of the README's "Use it" section, run as
// Examples; handshake/nethttp's readme_test.go checks that the README
// still shows exactly this code.

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"

	"github.com/glasstls/glasstls/handshake"
)

// A TLS server: Listen is net.Listen whose connections are TLS servers.
func ExampleListen_echoServer() {
	certFile, keyFile := "../testdata/server-ecdsa.pem", "../testdata/server-ecdsa-key.pem"
	addr := "127.0.0.1:0"

	cert, err := handshake.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := handshake.Listen("tcp", addr, &handshake.Config{Certificates: []handshake.Certificate{cert}})
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept() // the handshake runs on the first Read or Write
			if err != nil {
				return // ln was closed
			}
			go func() {
				defer conn.Close()
				io.Copy(conn, conn) // echo
			}()
		}
	}()

	conn, err := handshake.Dial("tcp", ln.Addr().String(), &handshake.Config{RootCAs: exampleRoots(), ServerName: "localhost"})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintln(conn, "ping")
	reply, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Print(reply)
	// Output: ping
}

// A TLS client: Dial is net.Dial that returns a *handshake.Conn (a
// net.Conn) once the handshake is done.
func ExampleDial() {
	ln := exampleEchoServer()
	defer ln.Close()
	addr := "localhost:" + portOf(ln.Addr())
	roots := exampleRoots()

	conn, err := handshake.Dial("tcp", addr, &handshake.Config{RootCAs: roots}) // ServerName: addr's host
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintln(conn, "hello")
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(reply)
	fmt.Println(conn.ConnectionState().ServerName)
	// Output:
	// hello
	// localhost
}

func exampleEchoServer() net.Listener {
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", &handshake.Config{Certificates: []handshake.Certificate{exampleCertificate()}})
	if err != nil {
		log.Fatal(err)
	}
	go echo(ln)
	return ln
}

func portOf(addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	return port
}
