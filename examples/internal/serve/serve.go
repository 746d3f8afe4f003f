package serve

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"net"
	"strings"
	"sync"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
)

// AcceptLoop serves the connections ln accepts, each in its own goroutine,
// until naccept have been accepted (0: until ln is closed), then waits for
// those still in progress. It is the servers' main loop, apart so that
// tests can run the real serving code.
func AcceptLoop(ln net.Listener, naccept int, www bool, logger *log.Logger) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for n := 0; naccept == 0 || n < naccept; n++ {
		conn, err := ln.Accept()
		if err != nil {
			if naccept == 0 && errors.Is(err, net.ErrClosed) {
				return nil // closed on purpose: the end of an endless loop
			}
			return err
		}
		var page *pageOf
		if pl, ok := ln.(*PagedListener); ok {
			page = pl.take(conn.(*handshake.Conn))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			serve(conn.(*handshake.Conn), www, page, logger)
		}()
	}
	return nil
}

// Serve runs one connection: the handshake, a log line in s_client's words
// ("New" or "Reused"), then an echo, or with www one page about the
// connection.
func Serve(conn *handshake.Conn, www bool, logger *log.Logger) { serve(conn, www, nil, logger) }

// serve is Serve, with the connection's page when it has one (PagedListener).
func serve(conn *handshake.Conn, www bool, page *pageOf, logger *log.Logger) {
	if page != nil {
		defer page.write(logger) // runs after Close: the page ends with close_notify
	}
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		logger.Printf("%v: handshake failed: %v", conn.RemoteAddr(), err)
		return
	}
	state := conn.ConnectionState()
	logger.Printf("%v: %s", conn.RemoteAddr(), cli.SessionLine(state))
	if www {
		serveWWW(conn, state, page)
		return
	}
	if _, err := io.Copy(conn, conn); err != nil && !errors.Is(err, net.ErrClosed) {
		logger.Printf("%v: %v", conn.RemoteAddr(), err)
	}
}

// maxRequestHeaders bounds what serveWWW reads of a request: the page
// does not need more, and a client that never sends the blank line
// must not make the server buffer without end (net/http's default
// MaxHeaderBytes is 1 MiB; a request for this page needs a few hundred
// bytes).
const maxRequestHeaders = 64 << 10

// serveWWW reads one HTTP request and answers with a page about the
// connection: the illustrated page of the connection itself, up to the
// request, when there is one; a short summary otherwise.
func serveWWW(conn *handshake.Conn, state handshake.ConnectionState, page *pageOf) {
	reader := bufio.NewReader(io.LimitReader(conn, maxRequestHeaders))
	for {
		line, err := reader.ReadString('\n')
		if err != nil {
			return
		}
		if strings.TrimSpace(line) == "" {
			break // end of the request headers
		}
	}
	suiteName := fmt.Sprintf("0x%04X", state.CipherSuite)
	if suite, ok := cipher.SuiteByID(state.CipherSuite); ok {
		suiteName = suite.Name + " (" + suite.OpenSSLName + ")"
	}
	summary := fmt.Sprintf("glasstls server\nProtocol: TLSv1.2\nCipher: %s\nResumed: %v\nExtended master secret: %v\nServer name: %q\nALPN: %q\nClient certificates: %d\n",
		suiteName, state.DidResume, state.ExtendedMasterSecret, state.ServerName, state.NegotiatedProtocol, len(state.PeerCertificates))
	body := "<html><body><pre>\n" + html.EscapeString(summary) + "</pre></body></html>\n"
	if page != nil {
		var b strings.Builder
		page.page.Title = "Your TLS 1.2 connection to glasstls, byte by byte"
		page.page.Intro = summary
		if err := page.page.WriteHTML(&b); err == nil {
			body = b.String()
		}
	}
	fmt.Fprintf(conn, "HTTP/1.0 200 ok\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	_ = conn.CloseWrite()
}
