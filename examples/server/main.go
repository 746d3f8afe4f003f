// Command server is a TLS 1.2 server built on glasstls, with flags shaped
// like OpenSSL's s_server. By default it echoes what each connection sends;
// with -www it answers an HTTP request with the illustrated page of the
// requester's own connection: open https://localhost:4433/ in a browser and
// see its ClientHello, GREASE values and all, annotated byte by byte.
//
//	go run ./examples/server -cert testdata/server-rsa.pem -key testdata/server-rsa-key.pem
//	openssl s_client -connect 127.0.0.1:4433 -CAfile testdata/ca.pem
//	go run ./examples/server -www                       # then open https://localhost:4433/
//	go run ./examples/server -www -trace-secrets        # the page shows the keys too (a local lab only)
//	go run ./examples/server -naccept 1 -html conn.html # write one connection's page to a file
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
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/glasstls/glasstls/examples/internal/serve"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("server: ")
	flags := serve.RegisterFlags(flag.CommandLine)
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to FILE; stop with SIGTERM or SIGINT to finish it (bench/e2e uses this)")
	flag.Parse()

	config, closeKeyLog, err := flags.Config()
	if err != nil {
		log.Fatal(err)
	}
	defer closeKeyLog()
	ln, err := flags.Listen(config)
	if err != nil {
		log.Fatal(err)
	}
	stopProfile := func() {}
	if *cpuProfile != "" {
		if stopProfile, err = profileUntilSignal(*cpuProfile, ln); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("ACCEPT")

	logger := log.Default()
	if *flags.Quiet {
		logger = log.New(io.Discard, "", 0)
	}
	err = serve.AcceptLoop(ln, *flags.NAccept, *flags.WWW, logger)
	ln.Close()
	stopProfile()
	if err != nil {
		log.Fatal(err)
	}
}

// profileUntilSignal starts a CPU profile into file and closes ln on
// SIGTERM or SIGINT, so that the accept loop ends, main returns and the
// returned function writes the profile out.
func profileUntilSignal(file string, ln net.Listener) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		_ = ln.Close()
	}()
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
