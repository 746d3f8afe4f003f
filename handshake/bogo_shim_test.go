package handshake

// The BoGo shim: glasstls under BoringSSL's TLS test suite.
//
// BoringSSL's test runner (ssl/test/runner) is a TLS implementation full of
// deliberate bugs. For each of its thousands of tests it starts a "shim"
// program, which must connect back to it and play one side of a TLS
// connection, configured by command-line flags (ssl/test/PORTING.md and
// ssl/test/test_config.cc). This file turns the handshake test binary into
// such a shim:
//
//	go test -c -o /tmp/glasstls-shim ./handshake
//	/tmp/glasstls-shim -bogo-mode -port 1234 -shim-id 7 -server ...
//
// A normal `go test` never sees -bogo-mode and runs as usual. The runner is
// not part of this repository; handshake/testdata/README.md says how to run
// it, and testdata/bogo_config.json lists the tests that are out of scope.
//
// The shim follows the protocol of PORTING.md: dial the runner, send the
// shim id, shake hands, echo every byte XOR 0xff until close_notify, repeat
// for each resumption, and exit 0 on success, 1 (with the reason on stderr)
// on failure, and 89 for a flag or feature glasstls does not implement, so
// that the runner reports "unimplemented" rather than "failed".

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/record"
)

// Exit codes the runner understands (PORTING.md).
const (
	bogoExitOK            = 0
	bogoExitFailed        = 1
	bogoExitUnimplemented = 89
)

// init runs the shim instead of the tests when -bogo-mode is on the command
// line. It is done here, before the testing package parses its own flags
// (which would reject the runner's), rather than in a TestMain, so that the
// other test files of this package stay free to define one.
func init() {
	for _, arg := range os.Args[1:] {
		if arg == "-bogo-mode" || arg == "--bogo-mode" {
			os.Exit(runBogoShim(os.Args[1:], os.Stderr))
		}
	}
}

// bogoUnimplementedError marks a flag or feature glasstls does not have.
type bogoUnimplementedError struct{ what string }

func (e *bogoUnimplementedError) Error() string { return "unimplemented: " + e.what }

func unimplemented(format string, args ...any) error {
	return &bogoUnimplementedError{fmt.Sprintf(format, args...)}
}

// runBogoShim runs the shim and returns its exit code.
func runBogoShim(args []string, stderr io.Writer) int {
	err := bogoMain(args)
	var unimpl *bogoUnimplementedError
	switch {
	case err == nil:
		return bogoExitOK
	case errors.As(err, &unimpl):
		fmt.Fprintln(stderr, err)
		return bogoExitUnimplemented
	default:
		fmt.Fprintln(stderr, err)
		return bogoExitFailed
	}
}

func bogoMain(args []string) error {
	// The runner first asks whether we support split handshakes
	// (BoringSSL's handshaker); we do not.
	for _, arg := range args {
		if arg == "-is-handshaker-supported" {
			fmt.Println("No")
			return nil
		}
	}

	// test_config.cc: any flag may be given as -on-initial-FLAG (first
	// connection only), -on-resume-FLAG (the resumptions only) or
	// -on-retry-FLAG (a TLS 1.3 ECH retry, which we never do).
	var common, initial, resume []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		target := &common
		switch {
		case strings.HasPrefix(arg, "-on-initial-"):
			target, arg = &initial, "-"+strings.TrimPrefix(arg, "-on-initial-")
		case strings.HasPrefix(arg, "-on-resume-"):
			target, arg = &resume, "-"+strings.TrimPrefix(arg, "-on-resume-")
		case strings.HasPrefix(arg, "-on-retry-"):
			return unimplemented("%s (ECH retries are TLS 1.3)", arg)
		}
		known, takesValue := bogoFlagKind(arg)
		if !known {
			// Stop here: without knowing the flag we cannot tell its value
			// from the next flag.
			return unimplemented("flag %s", arg)
		}
		*target = append(*target, arg)
		// A flag's value travels with it.
		if i+1 < len(args) && takesValue {
			i++
			*target = append(*target, args[i])
		}
	}

	first, err := parseBogoFlags(append(append([]string{}, common...), initial...))
	if err != nil {
		return err
	}
	later, err := parseBogoFlags(append(append([]string{}, common...), resume...))
	if err != nil {
		return err
	}
	if first.port == 0 {
		return errors.New("-port is required")
	}

	// One session cache for all connections, so that a resumption can find
	// the session of the connection before it.
	session := newBogoSession()
	for i := 0; i <= first.resumeCount; i++ {
		f := first
		if i > 0 {
			f = later
		}
		if err := bogoConnection(f, i, session); err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
	}
	return nil
}

// bogoFlags is the configuration of one connection.
type bogoFlags struct {
	port        int
	shimID      uint64
	ipv6        bool
	server      bool
	resumeCount int

	// credentials are the certificate/key pairs to offer: the legacy one
	// (-cert-file/-key-file before any -new-x509-credential), then one per
	// -new-x509-credential, which the later -cert-file/-key-file fill in
	// (test_config.cc, CredentialFlagWithDefault).
	credentials []bogoCredential

	minVersion, maxVersion int
	expectVersion          int

	cipher              string
	curves              []int
	verifyPeer          bool
	requireAnyClientCrt bool
	verifyFail          bool
	reverifyOnResume    bool
	expectVerifyResult  bool

	advertiseALPN, selectALPN, expectALPN string
	declineALPN, expectNoALPN             bool
	expectAdvertisedALPN                  string
	rejectALPN                            bool

	// OCSP stapling (RFC 6066, 8).
	enableOCSPStapling bool
	expectOCSPResponse []byte

	hostName, expectServerName string

	expectSessionMiss  bool
	expectEMS          bool
	expectNoEMS        bool
	expectPeerCertFile string
	expectNoPeerCert   bool
	expectCurveID      int

	// expectSelectedCredential is the number of the credential whose key
	// must have been used (-1: the legacy -cert-file/-key-file, or none);
	// selectedCredential records it (bogoRecordingKey).
	expectSelectedCredential *int
	selectedCredential       int

	// RFC 5705 exporter: export this many bytes and send them.
	exportKeyingMaterial   int
	exportLabel, exportCtx string
	useExportContext       bool
	expectPeerSigAlg       int

	shimWritesFirst   bool
	shimShutsDown     bool
	checkCloseNotify  bool
	implicitHandshake bool
	noTicket          bool
	verifyPrefs       []int
	psk, pskIdentity  string

	// verified is set when the certificate callback accepted a chain.
	verified bool
}

// bogoFlagKind says whether the shim knows a flag and whether it takes a
// value (the rest are booleans); the -on-* prefix splitting needs to know
// before parsing.
func bogoFlagKind(arg string) (known, takesValue bool) {
	name := strings.TrimLeft(arg, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
		defer func() { takesValue = false }()
	}
	fs, _ := newBogoFlagSet()
	f := fs.Lookup(name)
	if f == nil {
		return false, false
	}
	type boolFlag interface{ IsBoolFlag() bool }
	b, ok := f.Value.(boolFlag)
	return true, !ok || !b.IsBoolFlag()
}

type intListFlag []int

func (l *intListFlag) String() string { return fmt.Sprint(*l) }
func (l *intListFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	*l = append(*l, n)
	return nil
}

func newBogoFlagSet() (*flag.FlagSet, *bogoFlags) {
	f := &bogoFlags{}
	fs := flag.NewFlagSet("bogo-shim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)

	fs.Bool("bogo-mode", true, "run as a BoGo shim")
	fs.IntVar(&f.port, "port", 0, "the runner's port")
	fs.Uint64Var(&f.shimID, "shim-id", 0, "sent to the runner first, 8 bytes little-endian")
	fs.BoolVar(&f.ipv6, "ipv6", false, "dial ::1 instead of 127.0.0.1")
	fs.BoolVar(&f.server, "server", false, "play the server")
	fs.IntVar(&f.resumeCount, "resume-count", 0, "connections after the first, each resuming")

	f.credentials = []bogoCredential{{}}
	current := func() *bogoCredential { return &f.credentials[len(f.credentials)-1] }
	fs.Func("cert-file", "PEM certificate chain to present", func(s string) error { current().certFile = s; return nil })
	fs.Func("key-file", "PEM private key for -cert-file", func(s string) error { current().keyFile = s; return nil })
	fs.BoolFunc("must-match-issuer", "client: use this credential only for a CA the server named", func(string) error {
		current().mustMatchIssuer = true
		return nil
	})
	fs.Func("ocsp-response", "base64 OCSP response to staple to the current credential", func(s string) (err error) {
		current().ocspResponse, err = base64.StdEncoding.DecodeString(s)
		return err
	})
	fs.BoolVar(&f.enableOCSPStapling, "enable-ocsp-stapling", false, "client: ask for a stapled OCSP response")
	fs.Func("expect-ocsp-response", "base64 OCSP response the server must staple", func(s string) (err error) {
		f.expectOCSPResponse, err = base64.StdEncoding.DecodeString(s)
		return err
	})
	fs.BoolFunc("new-x509-credential", "start another certificate/key pair", func(string) error {
		f.credentials = append(f.credentials, bogoCredential{})
		return nil
	})
	// We always use our own certificate check (VerifyConnection), so the
	// custom callback changes nothing.
	fs.Bool("use-custom-verify-callback", false, "verify through a callback")
	fs.BoolVar(&f.expectVerifyResult, "expect-verify-result", false, "the verify callback ran and said -verify-fail's verdict")
	// BoringSSL's shim accepts every certificate (its verify callback says
	// yes unless -verify-fail); -trust-cert is informational only.
	fs.String("trust-cert", "", "the runner's root (accepted, unused)")

	fs.IntVar(&f.minVersion, "min-version", 0, "lowest version to accept")
	fs.IntVar(&f.maxVersion, "max-version", 0, "highest version to accept")
	fs.IntVar(&f.expectVersion, "expect-version", 0, "version the handshake must settle")
	// Disabling versions we do not speak changes nothing; disabling TLS 1.2
	// leaves nothing to speak.
	for _, v := range []string{"no-ssl3", "no-tls1", "no-tls11", "no-tls13"} {
		fs.Bool(v, false, "disable a version glasstls does not speak")
	}

	fs.StringVar(&f.cipher, "cipher", "", "OpenSSL-style cipher list")
	fs.Var((*intListFlag)(&f.curves), "curves", "an ECDHE group to allow (repeatable)")
	fs.BoolVar(&f.verifyPeer, "verify-peer", false, "server: ask for a client certificate")
	fs.BoolVar(&f.requireAnyClientCrt, "require-any-client-certificate", false, "server: require a client certificate")
	fs.BoolVar(&f.verifyFail, "verify-fail", false, "reject the peer's certificate")
	fs.BoolVar(&f.reverifyOnResume, "reverify-on-resume", false, "run the certificate callback on resumptions too")

	fs.StringVar(&f.advertiseALPN, "advertise-alpn", "", "client: ALPN list in wire format")
	fs.StringVar(&f.selectALPN, "select-alpn", "", "server: the ALPN protocol to pick")
	fs.StringVar(&f.expectALPN, "expect-alpn", "", "the ALPN protocol that must be negotiated")
	fs.BoolVar(&f.declineALPN, "decline-alpn", false, "server: pick no ALPN protocol")
	fs.StringVar(&f.expectAdvertisedALPN, "expect-advertised-alpn", "", "server: the ALPN list (wire format) the client must offer")
	fs.BoolVar(&f.rejectALPN, "reject-alpn", false, "server: refuse the client's ALPN offer with no_application_protocol")
	fs.BoolVar(&f.expectNoALPN, "expect-no-alpn", false, "no ALPN protocol may be negotiated")

	fs.StringVar(&f.hostName, "host-name", "", "client: server_name to send")
	fs.StringVar(&f.expectServerName, "expect-server-name", "", "server: server_name the client must send")

	fs.BoolVar(&f.expectSessionMiss, "expect-session-miss", false, "a resumption must fall back to a full handshake")
	fs.BoolVar(&f.expectEMS, "expect-extended-master-secret", false, "RFC 7627 must be used")
	fs.BoolVar(&f.expectNoEMS, "expect-no-extended-master-secret", false, "RFC 7627 must not be used")
	fs.StringVar(&f.expectPeerCertFile, "expect-peer-cert-file", "", "PEM chain the peer must present")
	fs.BoolVar(&f.expectNoPeerCert, "expect-no-peer-cert", false, "the peer must present no certificate")
	fs.IntVar(&f.expectCurveID, "expect-curve-id", 0, "the ECDHE group the handshake must use")
	fs.Func("expect-selected-credential", "the credential the handshake must use", func(s string) error {
		n, err := strconv.Atoi(s)
		f.expectSelectedCredential = &n
		return err
	})
	fs.IntVar(&f.exportKeyingMaterial, "export-keying-material", 0, "export this many bytes (RFC 5705) and write them")
	fs.StringVar(&f.exportLabel, "export-label", "", "the exporter label")
	fs.StringVar(&f.exportCtx, "export-context", "", "the exporter context, used with -use-export-context")
	fs.BoolVar(&f.useExportContext, "use-export-context", false, "export with a context (else none, which differs from an empty one)")
	fs.IntVar(&f.expectPeerSigAlg, "expect-peer-signature-algorithm", 0, "the signature scheme the peer must sign with")

	fs.BoolVar(&f.shimWritesFirst, "shim-writes-first", false, `write "hello" before reading`)
	fs.BoolVar(&f.shimShutsDown, "shim-shuts-down", false, "send close_notify after the handshake")
	fs.BoolVar(&f.checkCloseNotify, "check-close-notify", false, "expect the peer's close_notify after ours")
	fs.BoolVar(&f.implicitHandshake, "implicit-handshake", false, "let the first Read or Write run the handshake")
	fs.BoolVar(&f.noTicket, "no-ticket", false, "no session tickets (RFC 5077): resume by session ID only")
	// test_config.cc: -signing-prefs before any -new-x509-credential is the
	// legacy credential's, after one that credential's.
	fs.Func("signing-prefs", "a signature scheme the current credential signs with (repeatable)", func(s string) error {
		n, err := strconv.Atoi(s)
		current().signingPrefs = append(current().signingPrefs, SignatureScheme(n))
		return err
	})
	fs.Var((*intListFlag)(&f.verifyPrefs), "verify-prefs", "a signature scheme to accept (repeatable)")
	// test_config.cc: -psk sets both sides' key; -psk-identity is the
	// client's identity, and the server's hint and only known identity.
	fs.StringVar(&f.psk, "psk", "", "the pre-shared key (RFC 4279)")
	fs.StringVar(&f.pskIdentity, "psk-identity", "", "the PSK identity: the client's, the server's hint and the one it knows")
	return fs, f
}

func parseBogoFlags(args []string) (*bogoFlags, error) {
	fs, f := newBogoFlagSet()
	if err := fs.Parse(args); err != nil {
		if strings.Contains(err.Error(), "not defined") {
			return nil, unimplemented("%v", err)
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return f, nil
}

// bogoCredential is one -cert-file/-key-file pair.
type bogoCredential struct {
	certFile, keyFile string
	mustMatchIssuer   bool
	ocspResponse      []byte
	signingPrefs      []SignatureScheme
}

// bogoSession carries what one connection leaves for the next resumption:
// each connection gets a fresh Config, but the caches and ticket keys live
// as long as the process, as they would in a long-running program.
type bogoSession struct {
	serverCache *session.LRUServerCache
	ticketKeys  *session.TicketKeys
	clientCache *session.LRUClientCache
}

func newBogoSession() *bogoSession {
	return &bogoSession{
		serverCache: session.NewLRUServerCache(session.DefaultServerCacheSize, session.DefaultLifetime),
		ticketKeys:  session.NewTicketKeys(session.DefaultTicketRotation, session.DefaultLifetime),
		clientCache: session.NewLRUClientCache(16),
	}
}

// config builds the glasstls Config for one connection.
func (f *bogoFlags) config(session *bogoSession) (*Config, error) {
	cfg := &Config{
		// BoringSSL's shim accepts any certificate unless told otherwise; we
		// do the same (the handshake still checks every signature against
		// the certificate's key).
		InsecureSkipVerify: true,

		SessionCache:           session.serverCache,
		TicketKeys:             session.ticketKeys,
		ClientSessionCache:     session.clientCache,
		SessionTicketsDisabled: f.noTicket,
	}
	// -verify-prefs is what we offer and accept; -signing-prefs belongs to
	// a credential (Certificate.SupportedSignatureAlgorithms, below).
	for _, id := range f.verifyPrefs {
		cfg.SignatureSchemes = append(cfg.SignatureSchemes, SignatureScheme(id))
	}
	// The library drops the schemes it does not implement (Config.
	// SignatureSchemes); if that leaves nothing, the test is about a scheme
	// glasstls lacks (e.g. the TLS 1.3 code point rsa_pkcs1_sha256_legacy).
	if len(f.verifyPrefs) > 0 && len(cfg.signatureSchemes()) == 0 {
		return nil, unimplemented("verify-prefs %v: no signature scheme glasstls implements", f.verifyPrefs)
	}

	// Versions are the wire values (0x0303 = 771 is TLS 1.2).
	if (f.minVersion != 0 && f.minVersion > int(VersionTLS12)) ||
		(f.maxVersion != 0 && f.maxVersion < int(VersionTLS12)) {
		return nil, unimplemented("version range %#x-%#x excludes TLS 1.2", f.minVersion, f.maxVersion)
	}
	if f.expectVersion != 0 && f.expectVersion != int(VersionTLS12) {
		return nil, unimplemented("expected version %#x", f.expectVersion)
	}

	// Offer every suite we implement, not just the defaults: the runner
	// tests the RSA key exchange CBC suites too.
	for _, s := range cipher.Suites() {
		cfg.CipherSuites = append(cfg.CipherSuites, s.ID)
	}
	if f.cipher != "" {
		ids, err := bogoCipherList(f.cipher)
		if err != nil {
			return nil, err
		}
		cfg.CipherSuites = ids
	}
	for _, id := range f.curves {
		curve := cipher.CurveID(id)
		if _, ok := bogoKnownCurves[curve]; !ok {
			return nil, unimplemented("curve %d", id)
		}
		cfg.CurvePreferences = append(cfg.CurvePreferences, curve)
	}

	for _, cred := range f.credentials {
		if f.server && cred.mustMatchIssuer {
			return nil, unimplemented("-must-match-issuer on a server (certificate_authorities in the ClientHello)")
		}
	}
	// Both sides pick from Config.Certificates: the server the first that
	// suits the suite, the client the first the CertificateRequest accepts.
	// BoringSSL prefers the -new-x509-credential ones in order, then the
	// legacy one (credentials[0]), so that one goes last.
	f.selectedCredential = -1
	var mustMatch []bool
	for j := range f.credentials {
		k := (j + 1) % len(f.credentials)
		cred := f.credentials[k]
		if cred.certFile == "" && cred.keyFile == "" {
			continue
		}
		pair, err := LoadX509KeyPair(cred.certFile, cred.keyFile)
		if err != nil {
			// Ed25519, RSA-PSS-only (rsaPSS SPKI) and other keys we lack.
			return nil, unimplemented("key pair %s: %v", cred.certFile, err)
		}
		// test_config.cc numbers the -new-x509-credential ones from 0;
		// the legacy one is -1.
		pair.PrivateKey = newBogoRecordingKey(pair.PrivateKey.(crypto.Signer), k-1, &f.selectedCredential)
		pair.SupportedSignatureAlgorithms = cred.signingPrefs
		pair.OCSPStaple = cred.ocspResponse
		cfg.Certificates = append(cfg.Certificates, pair)
		mustMatch = append(mustMatch, cred.mustMatchIssuer)
	}
	if !f.server && len(cfg.Certificates) > 0 {
		// BoringSSL's client treats certificate_authorities as a hint it
		// ignores unless told -must-match-issuer; glasstls's default
		// honours it. Pick as glasstls does, CA check only where asked.
		certs := cfg.Certificates
		cfg.GetClientCertificate = func(info *CertificateRequestInfo) (*Certificate, error) {
			for k := range certs {
				relaxed := *info
				if !mustMatch[k] {
					relaxed.AcceptableCAs = nil
				}
				if clientCertificateAcceptable(&certs[k], cfg.signatureSchemes(), &relaxed) {
					return &certs[k], nil
				}
			}
			return &Certificate{}, nil // RFC 5246, 7.4.6: an empty Certificate
		}
	}
	if f.psk != "" {
		cfg.PSKIdentity, cfg.PSK = f.pskIdentity, []byte(f.psk)
		cfg.PSKIdentityHint = f.pskIdentity
		cfg.PSKLookup = func(identity string) ([]byte, error) {
			if identity != f.pskIdentity {
				return nil, ErrUnknownPSKIdentity
			}
			return []byte(f.psk), nil
		}
	}
	if f.server && len(cfg.Certificates) == 0 && f.psk == "" {
		return nil, unimplemented("a server with no certificate (anonymous)")
	}

	// test_config.cc: -verify-peer (SSL_VERIFY_PEER) wins over
	// -require-any-client-certificate (which adds FAIL_IF_NO_PEER_CERT).
	switch {
	case f.verifyPeer:
		cfg.ClientAuth = RequestClientCert
	case f.requireAnyClientCrt:
		cfg.ClientAuth = RequireAnyClientCert
	}
	// The certificate callback: refuse with -verify-fail, else accept and
	// note that it ran (for -expect-verify-result).
	// Like SSL_VERIFY_NONE, a client without -verify-peer records the
	// verdict and carries on ("soft fail"); so does a server that asked
	// for no certificate.
	hardFail := f.verifyPeer || (f.server && f.requireAnyClientCrt)
	cfg.VerifyConnection = func(cs ConnectionState) error {
		// glasstls runs VerifyConnection on resumptions too; BoringSSL's
		// callback runs on them only with -reverify-on-resume.
		if cs.DidResume && !f.reverifyOnResume {
			return nil
		}
		if f.verifyFail && hardFail {
			return errors.New("certificate rejected by -verify-fail")
		}
		// test_config.cc's CheckVerifyCallback: the stapled response is
		// there by the time the certificate is checked.
		if len(f.expectOCSPResponse) > 0 && len(cs.OCSPResponse) == 0 {
			return errors.New("OCSP response not available in VerifyConnection")
		}
		f.verified = true
		return nil
	}

	cfg.RequestOCSPStaple = f.enableOCSPStapling
	if f.advertiseALPN != "" {
		protos, err := bogoALPNList(f.advertiseALPN)
		if err != nil {
			return nil, err
		}
		cfg.NextProtos = protos
	}
	if f.server && f.selectALPN != "" {
		cfg.NextProtos = []string{f.selectALPN}
	}
	// BoringSSL's ALPN select callback, played by GetConfigForClient: it
	// sees the client's offer (ClientHelloInfo.SupportedProtos) and may
	// refuse it with an alert (RFC 7301, 3.2: no_application_protocol).
	if f.server && (f.expectAdvertisedALPN != "" || f.rejectALPN) {
		var wantOffer []string
		if f.expectAdvertisedALPN != "" {
			protos, err := bogoALPNList(f.expectAdvertisedALPN)
			if err != nil {
				return nil, err
			}
			wantOffer = protos
		}
		cfg.GetConfigForClient = func(hello *ClientHelloInfo) (*Config, error) {
			if wantOffer != nil && !slices.Equal(hello.SupportedProtos, wantOffer) {
				return nil, fmt.Errorf("client offered ALPN %q, want %q", hello.SupportedProtos, wantOffer)
			}
			if f.rejectALPN {
				return nil, record.Errorf(record.AlertNoApplicationProtocol, "no application protocol: -reject-alpn refuses the client's ALPN offer %q", hello.SupportedProtos)
			}
			return nil, nil
		}
	}

	if !f.server {
		cfg.ServerName = f.hostName
	}
	return cfg, nil
}

// bogoKnownCurves are the groups glasstls implements, by TLS id.
var bogoKnownCurves = map[cipher.CurveID]bool{
	cipher.CurveP256: true, cipher.CurveP384: true, cipher.CurveP521: true, cipher.CurveX25519: true,
}

// bogoCipherList turns a cipher list of OpenSSL names ("A:B") into suite ids;
// the rest of the OpenSSL cipher-string language is unimplemented.
func bogoCipherList(list string) ([]uint16, error) {
	var ids []uint16
	for _, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' }) {
		s, ok := cipher.SuiteByName(name)
		if !ok {
			return nil, unimplemented("cipher %q", name)
		}
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// bogoALPNList parses the ALPN wire format: length-prefixed names.
func bogoALPNList(wire string) ([]string, error) {
	var protos []string
	for len(wire) > 0 {
		n := int(wire[0])
		if n == 0 || 1+n > len(wire) {
			return nil, fmt.Errorf("malformed ALPN list %q", wire)
		}
		protos = append(protos, wire[1:1+n])
		wire = wire[1+n:]
	}
	return protos, nil
}

// bogoConnection dials the runner and plays connection number i.
func bogoConnection(f *bogoFlags, i int, session *bogoSession) error {
	cfg, err := f.config(session)
	if err != nil {
		return err
	}
	host := "127.0.0.1"
	if f.ipv6 {
		host = "::1"
	}
	tcp, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(f.port)), 10*time.Second)
	if err != nil {
		return err
	}
	transport := &bogoTransport{TCPConn: tcp.(*net.TCPConn)}
	defer transport.Close()

	var id [8]byte
	binary.LittleEndian.PutUint64(id[:], f.shimID)
	if _, err := transport.Write(id[:]); err != nil {
		return err
	}

	var conn *Conn
	if f.server {
		conn = Server(transport, cfg)
	} else {
		conn = Client(transport, cfg)
	}
	// Every wait is bounded: the runner's own idle timeout is 15s.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))

	if !f.implicitHandshake {
		if err := conn.Handshake(); err != nil {
			return err
		}
		if err := f.checkState(conn.ConnectionState(), i); err != nil {
			return err
		}
	}

	// bssl_shim.cc: the exported bytes go out right after the handshake,
	// for the runner to compare with its own export.
	if f.exportKeyingMaterial > 0 {
		var context []byte
		if f.useExportContext {
			context = []byte(f.exportCtx)
		}
		ekm, err := conn.ExportKeyingMaterial(f.exportLabel, context, f.exportKeyingMaterial)
		if err != nil {
			return err
		}
		if _, err := conn.Write(ekm); err != nil {
			return err
		}
	}

	if i == 0 && f.shimWritesFirst {
		if _, err := conn.Write([]byte("hello")); err != nil {
			return err
		}
	}
	if f.shimShutsDown {
		if err := conn.CloseWrite(); err != nil {
			return err
		}
		if !f.checkCloseNotify {
			return nil
		}
	}

	// Echo until close_notify: every byte XOR 0xff.
	buf := make([]byte, 1<<14)
	checked := !f.implicitHandshake
	for {
		n, err := conn.Read(buf)
		if !checked && conn.ConnectionState().HandshakeComplete {
			checked = true
			if err := f.checkState(conn.ConnectionState(), i); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		for j := range buf[:n] {
			buf[j] ^= 0xff
		}
		if _, err := conn.Write(buf[:n]); err != nil {
			return err
		}
	}
	if f.shimShutsDown {
		return nil
	}
	return conn.Close()
}

// checkState applies the -expect-* flags to a finished handshake.
func (f *bogoFlags) checkState(cs ConnectionState, i int) error {
	if f.expectVersion != 0 && int(cs.Version) != f.expectVersion {
		return fmt.Errorf("version %#x, want %#x", cs.Version, f.expectVersion)
	}
	if f.expectALPN != "" && cs.NegotiatedProtocol != f.expectALPN {
		return fmt.Errorf("ALPN %q, want %q", cs.NegotiatedProtocol, f.expectALPN)
	}
	if (f.expectNoALPN || f.declineALPN) && cs.NegotiatedProtocol != "" {
		return fmt.Errorf("ALPN %q, want none", cs.NegotiatedProtocol)
	}
	if f.server && f.selectALPN != "" && cs.NegotiatedProtocol != f.selectALPN {
		return fmt.Errorf("ALPN %q, want %q", cs.NegotiatedProtocol, f.selectALPN)
	}
	if len(f.expectOCSPResponse) > 0 && !bytes.Equal(cs.OCSPResponse, f.expectOCSPResponse) {
		return fmt.Errorf("OCSP response %x, want %x", cs.OCSPResponse, f.expectOCSPResponse)
	}
	if f.expectServerName != "" && cs.ServerName != f.expectServerName {
		return fmt.Errorf("server name %q, want %q", cs.ServerName, f.expectServerName)
	}
	if i > 0 && f.expectSessionMiss && cs.DidResume {
		return errors.New("resumed, want a full handshake")
	}
	if i > 0 && !f.expectSessionMiss && !cs.DidResume {
		return errors.New("full handshake, want a resumption")
	}
	if f.expectEMS && !cs.ExtendedMasterSecret {
		return errors.New("no extended master secret")
	}
	if f.expectNoEMS && cs.ExtendedMasterSecret {
		return errors.New("extended master secret used")
	}
	if f.expectVerifyResult && !cs.DidResume && !f.verified {
		return errors.New("the certificate callback did not run")
	}
	// BoringSSL reports the group and peer scheme of the session's full
	// handshake on a resumption too; glasstls reports 0 then (this
	// handshake had no key exchange and no signature), so only full
	// handshakes are checked.
	if f.expectCurveID != 0 && !cs.DidResume && int(cs.CurveID) != f.expectCurveID {
		return fmt.Errorf("curve %d, want %d", cs.CurveID, f.expectCurveID)
	}
	if f.expectPeerSigAlg != 0 && !cs.DidResume && int(cs.PeerSignatureScheme) != f.expectPeerSigAlg {
		return fmt.Errorf("peer signature scheme %v, want %v", cs.PeerSignatureScheme, SignatureScheme(f.expectPeerSigAlg))
	}
	if f.expectSelectedCredential != nil && *f.expectSelectedCredential != f.selectedCredential {
		return fmt.Errorf("used credential %d, want %d", f.selectedCredential, *f.expectSelectedCredential)
	}
	if f.expectNoPeerCert && len(cs.PeerCertificates) > 0 {
		return errors.New("peer sent a certificate")
	}
	// bssl_shim.cc CheckHandshakeProperties: a client always sees the
	// server's certificate, a server requiring one sees the client's; a PSK
	// suite has none (RFC 4279).
	if !cs.DidResume && (!f.server || f.requireAnyClientCrt) && !f.expectNoPeerCert && !isPSKSuite(cs.CipherSuite) && len(cs.PeerCertificates) == 0 {
		return errors.New("no peer certificate")
	}
	if f.expectPeerCertFile != "" {
		data, err := os.ReadFile(f.expectPeerCertFile)
		if err != nil {
			return err
		}
		var want [][]byte
		for {
			var block *pem.Block
			block, data = pem.Decode(data)
			if block == nil {
				break
			}
			want = append(want, block.Bytes)
		}
		if len(want) != len(cs.PeerCertificates) {
			return fmt.Errorf("peer sent %d certificates, want %d", len(cs.PeerCertificates), len(want))
		}
		for k, c := range cs.PeerCertificates {
			if !bytes.Equal(c.Raw, want[k]) {
				return fmt.Errorf("peer certificate %d differs", k)
			}
		}
	}
	return nil
}

// bogoRecordingKey is a credential's private key that notes its number in
// *used when the handshake signs (ServerKeyExchange, CertificateVerify) or
// decrypts (RSA key exchange) with it: how the shim learns which
// certificate glasstls picked. It also shows that Certificate.PrivateKey
// may be any crypto.Signer, e.g. a key in hardware.
type bogoRecordingKey struct {
	key    crypto.Signer
	number int
	used   *int
}

// bogoRecordingDecrypter is a bogoRecordingKey for an RSA key, which the
// RSA key exchange decrypts with.
type bogoRecordingDecrypter struct {
	*bogoRecordingKey
}

func newBogoRecordingKey(key crypto.Signer, number int, used *int) crypto.Signer {
	k := &bogoRecordingKey{key: key, number: number, used: used}
	if _, ok := key.(crypto.Decrypter); ok {
		return bogoRecordingDecrypter{k}
	}
	return k
}

func (k *bogoRecordingKey) Public() crypto.PublicKey { return k.key.Public() }

func (k *bogoRecordingKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	*k.used = k.number
	return k.key.Sign(rand, digest, opts)
}

func (k bogoRecordingDecrypter) Decrypt(rand io.Reader, msg []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	*k.used = k.number
	return k.key.(crypto.Decrypter).Decrypt(rand, msg, opts)
}

// bogoTransport is the shim's TCP connection. On Close it shuts down
// gracefully, as Go's own shim does: after a fatal alert the runner may
// still be writing, and closing a socket with unread data makes the kernel
// send a reset, which can reach the runner before it has read our alert.
type bogoTransport struct {
	*net.TCPConn
}

func (t *bogoTransport) Close() error {
	_ = t.TCPConn.CloseWrite()
	_ = t.TCPConn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, _ = io.Copy(io.Discard, io.LimitReader(t.TCPConn, 1<<20))
	return t.TCPConn.Close()
}

// isPSKSuite reports whether id is a PSK suite, which has no certificate.
func isPSKSuite(id uint16) bool {
	suite, ok := cipher.SuiteByID(id)
	return ok && suite.Auth == cipher.AuthPSK
}
