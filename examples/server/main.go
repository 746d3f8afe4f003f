// Command server is a TLS 1.2 server built on glasstls, with flags shaped
// like OpenSSL's s_server. By default it echoes what each connection sends;
// with -www it answers an HTTP request with a page describing the connection.
//
//	go run ./examples/server -cert testdata/server-rsa.pem -key testdata/server-rsa-key.pem
//	openssl s_client -connect 127.0.0.1:4433 -CAfile testdata/ca.pem
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("server: ")
	accept := flag.String("accept", "127.0.0.1:4433", "address to listen on")
	certFile := flag.String("cert", "testdata/server-rsa.pem", "PEM certificate chain")
	keyFile := flag.String("key", "testdata/server-rsa-key.pem", "PEM private key")
	dcertFile := flag.String("dcert", "", "second PEM certificate chain (e.g. ECDSA beside RSA)")
	dkeyFile := flag.String("dkey", "", "private key of -dcert")
	cipherList := flag.String("cipher", "", "cipher suites, IANA or OpenSSL names, ':'-separated")
	curveList := flag.String("curves", "", "ECDHE groups, ':'-separated (X25519:P-256:P-384)")
	alpnList := flag.String("alpn", "", "ALPN protocols, ','-separated")
	naccept := flag.Int("naccept", 0, "exit after this many connections (0: never)")
	www := flag.Bool("www", false, "answer an HTTP request with a page describing the connection")
	verify := flag.String("verify", "none", "client certificates: none|request|require|verify (verify if given)")
	caFile := flag.String("CAfile", "", "PEM CA certificates trusted for client certificates")
	noTicket := flag.Bool("no_ticket", false, "issue no session tickets (resume by session ID only)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to FILE; stop with SIGTERM or SIGINT to finish it")
	traceFlags := cli.RegisterTraceFlags()
	verifyProfile := cli.RegisterVerifyProfileFlag()
	flag.Parse()

	config, err := buildConfig(*certFile, *keyFile, *dcertFile, *dkeyFile, *cipherList, *curveList, *alpnList, *verify, *caFile)
	if err != nil {
		log.Fatal(err)
	}
	config.SessionTicketsDisabled = *noTicket // like s_server -no_ticket
	config.VerifyProfile = verifyProfile.Profile
	closeKeyLog, err := traceFlags.Apply(config)
	if err != nil {
		log.Fatal(err)
	}
	defer closeKeyLog()
	ln, err := handshake.Listen("tcp", *accept, config)
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

	err = acceptLoop(ln, *naccept, *www, log.Default())
	ln.Close()
	stopProfile()
	if err != nil {
		log.Fatal(err)
	}
}

// profileUntilSignal starts a CPU profile into file and closes ln on
// SIGTERM or SIGINT, so that the accept loop ends, main returns and the
// returned function writes the profile out (bench/e2e uses this).
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

func buildConfig(certFile, keyFile, dcertFile, dkeyFile, cipherList, curveList, alpnList, verify, caFile string) (*handshake.Config, error) {
	config := &handshake.Config{NextProtos: cli.ParseList(alpnList)}
	cert, err := handshake.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	config.Certificates = append(config.Certificates, cert)
	if dcertFile != "" {
		dcert, err := handshake.LoadX509KeyPair(dcertFile, dkeyFile)
		if err != nil {
			return nil, err
		}
		config.Certificates = append(config.Certificates, dcert)
	}
	if config.CipherSuites, err = cli.ParseCipherList(cipherList); err != nil {
		return nil, err
	}
	if config.CurvePreferences, err = cli.ParseCurves(curveList); err != nil {
		return nil, err
	}
	switch verify {
	case "none":
	case "request":
		config.ClientAuth = handshake.RequestClientCert
	case "require":
		config.ClientAuth = handshake.RequireAndVerifyClientCert
	case "verify":
		config.ClientAuth = handshake.VerifyClientCertIfGiven
	default:
		return nil, fmt.Errorf("-verify: want none, request, require or verify, got %q", verify)
	}
	if caFile != "" {
		if config.ClientCAs, err = cli.LoadPool(caFile); err != nil {
			return nil, err
		}
	}
	return config, nil
}
