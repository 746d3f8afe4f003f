// Command walkthrough narrates a TLS 1.2 connection between a glasstls
// client and a glasstls server in one process: a full handshake, some
// application data, then a resumed (abbreviated) handshake. Every
// handshake message is shown field by field, every derived value (the
// randoms, the pre-master and master secrets, the key block's parts,
// verify_data) in hex with the formula that made it.
//
//	go run ./examples/walkthrough                     # ECDHE_RSA with AES-128-GCM
//	go run ./examples/walkthrough -suite TLS_RSA_WITH_AES_128_CBC_SHA
//	go run ./examples/walkthrough -client-cert        # mutual TLS
//	go run ./examples/walkthrough -hex                # every byte of every record, labelled
//	go run ./examples/walkthrough -json               # one JSON object per event
//	go run ./examples/walkthrough -html page.html     # the full handshake as an illustrated page
//
// With the same -seed the output is the same byte for byte (Config.Rand is
// a seeded stream and Config.Time a fixed date), so a class sees the same
// bytes. Two exceptions, because Go 1.26 ignores the random source it is
// given there and always uses the system's: the RSA-encrypted pre-master
// of TLS_RSA_* suites, and ECDSA signatures (ECDHE_ECDSA suites). -seed 0
// uses real randomness and the real clock.
//
// Both sides trace; -side client or -side server shows one. -no-ems and
// -mac-then-encrypt turn off the extended master secret and
// encrypt-then-MAC, -resume id or -resume ticket picks the resumption.
//
// See DEBUGGING.md to step through the same run in a debugger.
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/handshake/trace"
	"github.com/glasstls/glasstls/x509verify"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("walkthrough: ")
	opts := options{}
	flag.StringVar(&opts.suite, "suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "cipher suite, IANA or OpenSSL name (try TLS_RSA_WITH_AES_128_CBC_SHA or ECDHE-RSA-CHACHA20-POLY1305)")
	flag.StringVar(&opts.side, "side", "both", "whose trace to show: client, server or both (merged in wire order)")
	flag.BoolVar(&opts.clientCert, "client-cert", false, "the server asks for a client certificate and the client sends one (mutual TLS)")
	flag.BoolVar(&opts.noEMS, "no-ems", false, "the client does not offer the extended master secret: the master secret comes from the RFC 5246, 8.1 formula")
	flag.BoolVar(&opts.macThenEncrypt, "mac-then-encrypt", false, "the client does not offer encrypt-then-MAC (RFC 7366): CBC suites MAC, then encrypt, as RFC 5246 does")
	flag.StringVar(&opts.resume, "resume", "both", "how the client's second connection resumes: id (session ID only), ticket (session ticket only), both")
	flag.BoolVar(&opts.json, "json", false, "print one JSON object per event instead of the narration")
	flag.BoolVar(&opts.hex, "hex", false, "print every record's bytes, each labelled with its field")
	flag.StringVar(&opts.html, "html", "", "also write the full handshake's connection as one self-contained HTML page to `FILE`")
	flag.Uint64Var(&opts.seed, "seed", 1, "seed of the deterministic randomness (0: real randomness and clock)")
	flag.BoolVar(&opts.hideSecrets, "hide-secrets", false, "do not show the pre-master and master secrets and the keys")
	flag.Parse()
	if err := run(os.Stdout, opts); err != nil {
		log.Fatal(err)
	}
}

type options struct {
	suite          string
	side           string // "client", "server" or "both"; "" is both
	clientCert     bool
	noEMS          bool
	macThenEncrypt bool
	resume         string // "id", "ticket" or "both"; "" is both
	json           bool
	hex            bool
	html           string // write the first connection's page here
	seed           uint64
	hideSecrets    bool
}

// story is what the narration knows about the connection being told.
type story struct {
	suite     *cipher.Suite
	opts      options
	resumed   bool   // the connection being told resumed a session
	mechanism string // how: "the session ticket" or "the session ID"
}

// fixedTime is the walkthrough's clock with a seed: inside the test
// certificates' validity (2025 to 2125).
var fixedTime = time.Date(2026, time.January, 1, 12, 0, 0, 0, time.UTC)

// run narrates the whole story to w.
func run(w io.Writer, opts options) error {
	if opts.side == "" {
		opts.side = "both"
	}
	if opts.resume == "" {
		opts.resume = "both"
	}
	if opts.side != "client" && opts.side != "server" && opts.side != "both" {
		return fmt.Errorf("-side %q: want client, server or both", opts.side)
	}
	if opts.resume != "id" && opts.resume != "ticket" && opts.resume != "both" {
		return fmt.Errorf("-resume %q: want id, ticket or both", opts.resume)
	}
	suite, ok := cipher.SuiteByName(opts.suite)
	if !ok {
		return fmt.Errorf("unknown suite %q; known: %v", opts.suite, cipher.Suites())
	}
	dir, err := testdataDir()
	if err != nil {
		return err
	}
	st := &story{suite: suite, opts: opts}
	n := newNarrator(w, opts, st)

	clientConfig, serverConfig, err := configs(dir, suite, opts)
	if err != nil {
		return err
	}
	cache := &watchedCache{ServerCache: session.NewLRUServerCache(8, 0)}
	serverConfig.SessionCache = cache
	var page *trace.Page
	if opts.html != "" {
		page = trace.NewPage()
		page.Title = "glasstls walkthrough: " + suite.Name
	}
	for _, config := range []*handshake.Config{clientConfig, serverConfig} {
		config.Trace = n.order
		if page != nil {
			// Both sides draw into the page: it shows the client's view
			// and the server's check of a client certificate.
			config.Trace = trace.Tee(n.order, page)
		}
		config.TraceSecrets = !opts.hideSecrets
	}

	n.section("1. The full handshake (RFC 5246, 7.3, Figure 1)", fullHandshakeIntro(suite, opts))
	client, server, err := connect(clientConfig, serverConfig)
	if err != nil {
		return err
	}
	state := client.ConnectionState()
	n.section("   Handshake complete", fmt.Sprintf("Negotiated %s, extended master secret %v, encrypt-then-MAC %v, resumed %v.",
		suite.Name, state.ExtendedMasterSecret, state.EncryptThenMAC, state.DidResume))
	if text := lintReport(state); text != "" {
		n.section("   What a stricter verifier would say", text)
	}
	n.section("   Both sides, one master secret", n.sameSecrets(state.ExtendedMasterSecret))
	if suite.KeyExchange == cipher.KeyExchangeDHE {
		n.section("   The Diffie-Hellman arithmetic (RFC 5246, 8.1.2; RFC 7919)", n.dhArithmetic())
	}
	if state.ExtendedMasterSecret {
		n.section("   The extended master secret (RFC 7627, 4)", n.extendedDerivation())
	} else {
		n.section("   The master secret, the classic way (RFC 5246, 8.1)", n.classicDerivation())
	}

	n.section("2. Application data (RFC 5246, 6.2.3)",
		"The client sends a request and the server echoes it back. Each record is encrypted\n"+
			"with the write key of its sender and carries its sequence number in the MAC or the nonce,\n"+
			"so a record cannot be changed, dropped or replayed without the receiver noticing.")
	if err := echo(client, server, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		return err
	}
	n.section("   Closing", "close_notify (RFC 5246, 7.2.1) tells the peer the data ended here: without it a cut\nconnection could not be told from a finished one (a truncation attack).")
	if err := closeBoth(client, server); err != nil {
		return err
	}
	if page != nil {
		// The page is the first connection's; the resumed one is told in
		// text only.
		clientConfig.Trace, serverConfig.Trace = n.order, n.order
		if err := writePage(page, opts.html); err != nil {
			return err
		}
	}

	n.section("3. The resumed handshake (RFC 5246, 7.3, Figure 2)", resumeIntro(opts.resume))
	found := cache.found()
	client, server, err = connect(clientConfig, serverConfig)
	if err != nil {
		return err
	}
	state = client.ConnectionState()
	st.resumed = state.DidResume
	switch {
	case !state.DidResume:
		st.mechanism = ""
	case cache.found() > found:
		st.mechanism = "the session ID"
	default:
		st.mechanism = "the session ticket"
	}
	n.section("   Handshake complete", fmt.Sprintf("Resumed: %v.", state.DidResume))
	n.section("   Which resumption", whichResumption(st))
	if err := echo(client, server, "GET /again HTTP/1.0\r\n\r\n"); err != nil {
		return err
	}
	if err := closeBoth(client, server); err != nil {
		return err
	}

	if opts.resume == "ticket" {
		if err := unopenableTicket(n, st, clientConfig, serverConfig); err != nil {
			return err
		}
	}
	n.section("The end", "Try -suite TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (classic Diffie-Hellman, every number shown),\n"+
		"-suite TLS_RSA_WITH_AES_128_CBC_SHA (RSA key exchange, no forward secrecy; CBC with\n"+
		"encrypt-then-MAC, or with -mac-then-encrypt the older MAC-then-encrypt), -no-ems,\n"+
		"-resume id or -resume ticket, -side server, -client-cert, -hex, or DEBUGGING.md to step\n"+
		"through it in a debugger.")
	return nil
}

// writePage writes the page to file.
func writePage(page *trace.Page, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := page.WriteHTML(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// configs builds the client's and the server's Config.
func configs(dir string, suite *cipher.Suite, opts options) (client, server *handshake.Config, err error) {
	serverCert, err := handshake.LoadX509KeyPair(filepath.Join(dir, "server-rsa.pem"), filepath.Join(dir, "server-rsa-key.pem"))
	if err != nil {
		return nil, nil, err
	}
	if suite.Auth == cipher.AuthECDSA {
		serverCert, err = handshake.LoadX509KeyPair(filepath.Join(dir, "server-ecdsa.pem"), filepath.Join(dir, "server-ecdsa-key.pem"))
		if err != nil {
			return nil, nil, err
		}
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, nil, err
	}
	roots := x509verify.NewPool()
	if !roots.AppendPEM(caPEM) {
		return nil, nil, errors.New("ca.pem holds no certificate")
	}
	// PKCS #1 v1.5 first: unlike RSA-PSS, its signatures have no random
	// salt, so a seeded run repeats byte for byte.
	schemes := []handshake.SignatureScheme{handshake.PKCS1WithSHA256, handshake.ECDSAWithP256AndSHA256, handshake.PSSWithSHA256}

	client = &handshake.Config{
		ServerName:         "localhost",
		RootCAs:            roots,
		CipherSuites:       []uint16{suite.ID},
		SignatureSchemes:   schemes,
		ClientSessionCache: session.NewLRUClientCache(8),
	}
	server = &handshake.Config{
		Certificates:     []handshake.Certificate{serverCert},
		CipherSuites:     []uint16{suite.ID},
		SignatureSchemes: schemes,
	}
	if opts.clientCert {
		clientCert, err := handshake.LoadX509KeyPair(filepath.Join(dir, "client-rsa.pem"), filepath.Join(dir, "client-rsa-key.pem"))
		if err != nil {
			return nil, nil, err
		}
		client.Certificates = []handshake.Certificate{clientCert}
		server.ClientAuth = handshake.RequireAndVerifyClientCert
		server.ClientCAs = roots
	}
	// -no-ems and -mac-then-encrypt: the client does not offer the
	// extension, so neither side uses it (RFC 7627, 5.1; RFC 7366, 2).
	client.DisableExtendedMasterSecret = opts.noEMS
	client.DisableEncryptThenMAC = opts.macThenEncrypt
	switch opts.resume {
	case "id":
		client.SessionTicketsDisabled = true // the client neither asks for nor offers a ticket
	case "ticket":
		server.SessionIDCacheDisabled = true // the server remembers no session: the ticket is all there is
	}
	server.TicketKeys = session.NewTicketKeys(0, 0) // kept, so unopenableTicket can change its key
	if opts.seed != 0 {
		// Each side has its own stream, so the order in which the two
		// goroutines draw random bytes cannot change what either draws.
		client.Rand = newSeededRand(opts.seed, "client")
		server.Rand = newSeededRand(opts.seed, "server")
		client.Time = func() time.Time { return fixedTime }
		server.Time = client.Time
	}
	return client, server, nil
}

// connect runs a client and a server over net.Pipe, an in-memory
// connection: no network, nothing to set up.
func connect(clientConfig, serverConfig *handshake.Config) (*handshake.Conn, *handshake.Conn, error) {
	clientEnd, serverEnd := net.Pipe()
	client := handshake.Client(clientEnd, clientConfig)
	server := handshake.Server(serverEnd, serverConfig)
	serverErr := make(chan error, 1)
	go func() { serverErr <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		serverEnd.Close()
		return nil, nil, fmt.Errorf("client handshake: %w (server: %v)", err, <-serverErr)
	}
	if err := <-serverErr; err != nil {
		return nil, nil, fmt.Errorf("server handshake: %w", err)
	}
	return client, server, nil
}

// echo sends msg from the client; the server sends it back.
func echo(client, server *handshake.Conn, msg string) error {
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, len(msg))
		if _, err := io.ReadFull(server, buf); err != nil {
			errc <- err
			return
		}
		_, err := server.Write(buf)
		errc <- err
	}()
	if _, err := client.Write([]byte(msg)); err != nil {
		return err
	}
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(client, buf); err != nil {
		return err
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if string(buf) != msg {
		return errors.New("the echo came back different")
	}
	return nil
}

// closeBoth sends close_notify from the client and waits for the server
// to read it.
func closeBoth(client, server *handshake.Conn) error {
	done := make(chan error, 1)
	go func() {
		_, err := server.Read(make([]byte, 1))
		if errors.Is(err, io.EOF) {
			err = nil
		}
		server.Close()
		done <- err
	}()
	err := client.Close()
	if serverErr := <-done; serverErr != nil {
		return fmt.Errorf("server: %w", serverErr)
	}
	return err
}

// lintReport explains the rules of RFC 5280 and the Web PKI that the
// server's verified chain breaks (x509verify.Lints), or returns "" when it
// breaks none, as the checked-in test PKI does not.
func lintReport(state handshake.ConnectionState) string {
	if len(state.VerifiedChains) == 0 {
		return ""
	}
	lints := x509verify.Lints(state.VerifiedChains[0], x509verify.Options{})
	if len(lints) == 0 {
		return ""
	}
	s := "The client accepted the server's chain under the default profile (what crypto/x509\n" +
		"accepts), but it breaks these rules; Config.VerifyProfile = ProfileRFC5280 or\n" +
		"ProfileWebPKI would have refused it:\n"
	for _, l := range lints {
		r := l.Rule()
		s += fmt.Sprintf("  - certificate %d (%s): %s [%s, %v]: %s\n", r.Position, r.Cert.Subject, r.Rule, r.Section, r.Profile, r.Detail)
	}
	return strings.TrimSuffix(s, "\n")
}

func fullHandshakeIntro(suite *cipher.Suite, opts options) string {
	s := fmt.Sprintf("Suite %s (%#04x): key exchange %s, server authenticated by %s,\nrecords protected with %s and %s, PRF hash %v.\n",
		suite.Name, suite.ID, suite.KeyExchange, suite.Auth, suite.Bulk, suite.MAC, suite.PRFHash)
	switch suite.KeyExchange {
	case cipher.KeyExchangeRSA:
		s += "RSA key exchange: the client picks the pre-master secret and encrypts it to the server's\ncertificate key. No ServerKeyExchange, and no forward secrecy.\n"
	case cipher.KeyExchangeDHE:
		s += "DHE: classic Diffie-Hellman, the key agreement ECDHE generalises. The server sends a group\n" +
			"(a prime p and a generator g: ffdhe2048 of RFC 7919 here) and g^Xs mod p for a secret\n" +
			"exponent Xs, signed with its certificate's key (ServerKeyExchange); the client answers with\n" +
			"g^Xc mod p (ClientKeyExchange). Both reach g^(Xs*Xc) mod p: the pre-master secret.\n"
	default:
		s += "ECDHE: both sides make a fresh key pair; the server signs its half with its certificate's\nkey (ServerKeyExchange). The pre-master secret is the shared secret: forward secret.\n"
	}
	if opts.clientCert {
		s += "The server asks for a certificate (CertificateRequest); the client proves it holds the key\nwith CertificateVerify, a signature over the handshake so far.\n"
	}
	if opts.noEMS {
		s += "-no-ems: the client does not offer extended_master_secret (RFC 7627), so the master\nsecret comes from the three randoms alone (RFC 5246, 8.1).\n"
	}
	if opts.macThenEncrypt {
		if suite.IsAEAD() {
			s += "-mac-then-encrypt changes nothing here: an AEAD suite has no separate MAC.\n"
		} else {
			s += "-mac-then-encrypt: the client does not offer encrypt_then_mac (RFC 7366), so records are\nMACed, then encrypted (RFC 5246, 6.2.3.2): the receiver must decrypt before it can check,\nwhich is what padding-oracle attacks (Lucky13) feed on; glasstls checks in constant time.\n"
		}
	}
	s += "Lines read \"[side] who -> whom  message\", then the message's fields in RFC 5246 names;\n\"name = hex\" lines are derived values, with the formula under them."
	switch opts.side {
	case "both":
		s += "\n[client] and [server] lines are each side's own trace, merged in the order the bytes cross\n" +
			"the wire; \"**\" lines say what that side does with what it received. The sender's line\n" +
			"decodes a message; the receiver's only names it."
	default:
		s += "\n-side " + opts.side + ": only the " + opts.side + "'s trace."
	}
	return s
}

// narrator prints section headings and owns the tracer, so that both go
// out in order.
type narrator struct {
	w     io.Writer
	json  bool
	order *wireOrder
	story *story
}

func newNarrator(w io.Writer, opts options, st *story) *narrator {
	n := &narrator{w: w, json: opts.json, story: st}
	n.order = &wireOrder{w: w, show: opts.side, notes: sideNotes(st)}
	switch {
	case opts.json:
		n.order.out, n.order.jsonMode = trace.NewJSON(w), true
	case opts.hex:
		n.order.out, n.order.hexMode = trace.NewHexDump(w), true
	default:
		n.order.out, n.order.textMode = trace.NewText(w), true
	}
	return n
}

// section prints what both sides traced so far, then a heading and its
// text.
func (n *narrator) section(title, text string) {
	n.order.flush()
	if n.json {
		_ = json.NewEncoder(n.w).Encode(map[string]string{"event": "section", "title": title, "text": text})
		return
	}
	fmt.Fprintf(n.w, "\n%s\n%s\n\n", title, text)
}

// seededRand is a deterministic stream of bytes: ChaCha8 keyed with
// SHA-256(seed, side). It is safe for concurrent use.
type seededRand struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func newSeededRand(seed uint64, side string) *seededRand {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	key := sha256.Sum256(append(append([]byte("glasstls walkthrough "), b[:]...), side...))
	return &seededRand{r: rand.NewChaCha8(key)}
}

func (s *seededRand) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.Read(p)
}

// testdataDir finds the repository's testdata directory (the checked-in
// test PKI) from the working directory or one of its parents.
func testdataDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "testdata")
		if _, err := os.Stat(filepath.Join(candidate, "server-rsa.pem")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find testdata/server-rsa.pem: run from inside the glasstls repository")
		}
		dir = parent
	}
}
