// Package serve is examples/server's flags and serving loop, shared with
// the programs that are that server plus something (examples/fleet runs it
// with a session cache and ticket keys in Redis), so that they take the
// same flags, shaped like OpenSSL's s_server, and serve the same way.
//
// The certificates are served through Config.GetCertificate (certs.go):
// -servername NAME -cert2 FILE -key2 FILE serve a second certificate to
// clients that ask for NAME in server_name (RFC 6066, 3), as s_server does,
// and on SIGHUP every certificate and key file is read again and served
// from the next handshake on, without dropping a connection.
package serve

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
)

// Flags are the server's command-line flags.
type Flags struct {
	Accept                *string
	certFile, keyFile     *string
	dcertFile, dkeyFile   *string
	serverName            *string
	cert2File, key2File   *string
	cipherList, curveList *string
	alpnList              *string
	NAccept               *int
	WWW                   *bool
	Quiet                 *bool
	HTML                  *string
	verify, caFile        *string
	noTicket, noCache     *bool
	trace                 *cli.TraceFlags
	verifyProfile         *cli.ProfileFlag
}

// RegisterFlags defines the server's flags on fs.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	return &Flags{
		Accept:     fs.String("accept", "127.0.0.1:4433", "address to listen on"),
		certFile:   fs.String("cert", "testdata/server-rsa.pem", "PEM certificate chain"),
		keyFile:    fs.String("key", "testdata/server-rsa-key.pem", "PEM private key"),
		dcertFile:  fs.String("dcert", "", "second PEM certificate chain (e.g. ECDSA beside RSA)"),
		dkeyFile:   fs.String("dkey", "", "private key of -dcert"),
		serverName: fs.String("servername", "", "server name for which -cert2 is served (server_name, RFC 6066)"),
		cert2File:  fs.String("cert2", "", "PEM certificate chain served to clients asking for -servername"),
		key2File:   fs.String("key2", "", "private key of -cert2"),
		cipherList: fs.String("cipher", "", "cipher suites, IANA or OpenSSL names, ':'-separated"),
		curveList:  fs.String("curves", "", "ECDHE groups, ':'-separated (X25519:P-256:P-384)"),
		alpnList:   fs.String("alpn", "", "ALPN protocols, ','-separated"),
		NAccept:    fs.Int("naccept", 0, "exit after this many connections (0: never)"),
		Quiet:      fs.Bool("quiet", false, "no output per connection, as s_server -quiet (bench/e2e measures against s_server -quiet)"),
		WWW:        fs.Bool("www", false, "answer an HTTP request with the illustrated page of the requester's own connection (secrets only with -trace-secrets)"),
		HTML:       fs.String("html", "", "write each connection's illustrated page to `FILE` when it ends (the last one wins)"),
		verify:     fs.String("verify", "none", "client certificates: none|request|require|verify (verify if given)"),
		caFile:     fs.String("CAfile", "", "PEM CA certificates trusted for client certificates"),
		noTicket:   fs.Bool("no_ticket", false, "issue no session tickets (resume by session ID only)"),
		noCache:    fs.Bool("no_cache", false, "keep no session ID cache (resume by ticket only)"),
		trace:      cli.RegisterTraceFlagsOn(fs),
		// -verify_profile: how strictly client certificates are judged.
		verifyProfile: cli.RegisterVerifyProfileFlagOn(fs),
	}
}

// Config builds the server's Config from the parsed flags, and from then
// on reloads the certificate files on SIGHUP. The returned function closes
// the key log file, if -keylogfile opened one.
func (f *Flags) Config() (*handshake.Config, func(), error) {
	files := certFiles{cert: *f.certFile, key: *f.keyFile, dcert: *f.dcertFile, dkey: *f.dkeyFile,
		serverName: *f.serverName, cert2: *f.cert2File, key2: *f.key2File}
	config, store, err := buildConfig(files, *f.cipherList, *f.curveList, *f.alpnList, *f.verify, *f.caFile)
	if err != nil {
		return nil, nil, err
	}
	reloadOnSIGHUP(store)
	config.SessionTicketsDisabled = *f.noTicket // like s_server -no_ticket
	config.SessionIDCacheDisabled = *f.noCache  // like s_server -no_cache
	config.VerifyProfile = f.verifyProfile.Profile
	closeKeyLog, err := f.trace.Apply(config)
	if err != nil {
		return nil, nil, err
	}
	return config, closeKeyLog, nil
}

// reloadOnSIGHUP reads the certificate files again on every SIGHUP. A
// reload that fails (a half-written file) keeps the certificates in use.
func reloadOnSIGHUP(store *certStore) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if err := store.reload(); err != nil {
				log.Printf("SIGHUP: %v; still serving the previous certificates", err)
				continue
			}
			log.Printf("SIGHUP: reloaded certificates")
		}
	}()
}

// BuildConfig makes a server Config from the flags' values.
func BuildConfig(certFile, keyFile, dcertFile, dkeyFile, cipherList, curveList, alpnList, verify, caFile string) (*handshake.Config, error) {
	config, _, err := buildConfig(certFiles{cert: certFile, key: keyFile, dcert: dcertFile, dkey: dkeyFile},
		cipherList, curveList, alpnList, verify, caFile)
	return config, err
}

func buildConfig(files certFiles, cipherList, curveList, alpnList, verify, caFile string) (*handshake.Config, *certStore, error) {
	store, err := newCertStore(files)
	if err != nil {
		return nil, nil, err
	}
	config := &handshake.Config{NextProtos: cli.ParseList(alpnList), GetCertificate: store.getCertificate}
	if config.CipherSuites, err = cli.ParseCipherList(cipherList); err != nil {
		return nil, nil, err
	}
	if config.CurvePreferences, err = cli.ParseCurves(curveList); err != nil {
		return nil, nil, err
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
		return nil, nil, fmt.Errorf("-verify: want none, request, require or verify, got %q", verify)
	}
	if caFile != "" {
		if config.ClientCAs, err = cli.LoadPool(caFile); err != nil {
			return nil, nil, err
		}
	}
	return config, store, nil
}
