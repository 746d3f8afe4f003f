// Command server is a TLS 1.2 server built on glasstls, with flags shaped
// like OpenSSL's s_server. By default it echoes what each connection sends;
// with -www it answers an HTTP request with a page describing the connection.
//
//	go run ./examples/server -cert testdata/server-rsa.pem -key testdata/server-rsa-key.pem
//	openssl s_client -connect 127.0.0.1:4433 -CAfile testdata/ca.pem
//
// -servername NAME -cert2 FILE -key2 FILE serve a second certificate to
// clients that ask for NAME in server_name (RFC 6066, 3), as s_server does.
// On SIGHUP the server reads every certificate and key file again and
// serves the new ones from the next handshake on (Config.GetCertificate),
// without dropping a connection: the way to renew a certificate.
//
// Its flags and serving loop live in examples/internal/serve, which
// examples/fleet shares.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/glasstls/glasstls/examples/internal/serve"
	"github.com/glasstls/glasstls/handshake"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("server: ")
	flags := serve.RegisterFlags(flag.CommandLine)
	flag.Parse()

	config, closeKeyLog, err := flags.Config()
	if err != nil {
		log.Fatal(err)
	}
	defer closeKeyLog()
	ln, err := handshake.Listen("tcp", *flags.Accept, config)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ACCEPT")

	err = serve.AcceptLoop(ln, *flags.NAccept, *flags.WWW, log.Default())
	ln.Close()
	if err != nil {
		log.Fatal(err)
	}
}
