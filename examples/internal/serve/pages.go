package serve

import (
	"log"
	"net"
	"os"
	"sync"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/trace"
)

// PagedListener accepts TLS connections each with its own trace.Page
// (added to Config.Trace beside whatever -trace asked for), for -www and
// -html: a Page draws one connection, and Config.Trace is per Config.
// AcceptLoop hands each connection's page to the connection.
type PagedListener struct {
	net.Listener // TCP
	config       *handshake.Config
	htmlFile     string

	mu    sync.Mutex
	pages map[*handshake.Conn]*pageOf
}

// pageOf is one connection's page and where to write it.
type pageOf struct {
	page *trace.Page
	file string // -html; empty: not written to a file
}

// Listen listens on -accept: with -www or -html through a PagedListener,
// so that each connection can be drawn, otherwise with handshake.Listen.
func (f *Flags) Listen(config *handshake.Config) (net.Listener, error) {
	if !*f.WWW && *f.HTML == "" {
		return handshake.Listen("tcp", *f.Accept, config)
	}
	// Each connection gets its own trace.Page, so its own Config.
	tcp, err := net.Listen("tcp", *f.Accept)
	if err != nil {
		return nil, err
	}
	return NewPagedListener(tcp, config, *f.HTML), nil
}

// NewPagedListener serves TLS with config on tcp, tracing each connection
// into its own page; htmlFile, if set, is where each page is written when
// its connection ends.
func NewPagedListener(tcp net.Listener, config *handshake.Config, htmlFile string) *PagedListener {
	return &PagedListener{Listener: tcp, config: config, htmlFile: htmlFile, pages: map[*handshake.Conn]*pageOf{}}
}

// Accept returns the next connection as a *handshake.Conn, traced into a
// fresh Page.
func (l *PagedListener) Accept() (net.Conn, error) {
	raw, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	page := trace.NewPage()
	config := l.config.Clone() // shares certificates, caches and ticket keys
	config.Trace = trace.Tee(l.config.Trace, page)
	conn := handshake.Server(raw, config)
	l.mu.Lock()
	l.pages[conn] = &pageOf{page: page, file: l.htmlFile}
	l.mu.Unlock()
	return conn, nil
}

// take hands over a connection's page.
func (l *PagedListener) take(conn *handshake.Conn) *pageOf {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.pages[conn]
	delete(l.pages, conn)
	return p
}

// write writes the page to -html's file, if any.
func (p *pageOf) write(logger *log.Logger) {
	if p.file == "" || p.page.Records() == 0 {
		return
	}
	f, err := os.Create(p.file)
	if err == nil {
		err = p.page.WriteHTML(f)
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
	}
	if err != nil {
		logger.Printf("-html: %v", err)
	}
}
