package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/glasstls/glasstls/handshake"
)

// Bounds on the slow steps of setting up a connection, so a silent peer
// cannot hold a goroutine for ever.
const (
	handshakeTimeout = 10 * time.Second
	dialTimeout      = 10 * time.Second
)

// tunnel accepts connections on ln and hands each to handle in its own
// goroutine. The server half's ln yields *handshake.Conn, the client's
// plain TCP connections.
type tunnel struct {
	name   string
	log    *log.Logger
	ln     net.Listener
	target string
	handle func(ctx context.Context, conn net.Conn)

	clientConfig *handshake.Config // the client half's TLS settings

	// open holds every connection in use, so that shutdown can close them.
	mu     sync.Mutex
	open   map[net.Conn]struct{}
	closed bool
}

// serve accepts until ctx ends, then closes the listener and every open
// connection and waits for their handlers to log and return.
func (t *tunnel) serve(ctx context.Context) {
	t.log.Printf("%s: listening on %s, forwarding to %s", t.name, t.ln.Addr(), t.target)
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() {
		t.ln.Close()
		t.closeAll()
	})
	defer stop()
	for {
		conn, err := t.ln.Accept()
		if err != nil {
			if ctx.Err() == nil {
				t.log.Printf("%s: accept: %v", t.name, err)
			}
			break
		}
		if !t.track(conn) {
			conn.Close()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer t.untrack(conn)
			defer conn.Close()
			t.handle(ctx, conn)
		}()
	}
	t.ln.Close()
	t.closeAll()
	wg.Wait()
	t.log.Printf("%s: stopped", t.name)
}

// track registers conn for shutdown; false if shutdown has begun.
func (t *tunnel) track(conn net.Conn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	if t.open == nil {
		t.open = map[net.Conn]struct{}{}
	}
	t.open[conn] = struct{}{}
	return true
}

func (t *tunnel) untrack(conn net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.open, conn)
}

func (t *tunnel) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for conn := range t.open {
		conn.Close()
	}
}

// connection is what the log line of one connection reports.
type connection struct {
	peer     string // the address the connection came from
	identity string // the authenticated certificate of the TLS peer
	resumed  bool   // the TLS session was resumed (no certificates were exchanged)
	up, down int64  // bytes towards the target, bytes back
	end      string // why it ended
	start    time.Time
}

func (c *connection) String() string {
	identity := c.identity
	if identity == "" {
		identity = "-"
	}
	return fmt.Sprintf("peer=%s identity=%q resumed=%v up=%d down=%d duration=%s end=%q",
		c.peer, identity, c.resumed, c.up, c.down, time.Since(c.start).Round(time.Millisecond), c.end)
}

// splice copies both ways between the accepted connection and the one
// towards the target until both directions have ended. A direction that
// ends cleanly (EOF, or close_notify on TLS) is passed on as a half-close:
// CloseWrite on the other side, which for TLS sends close_notify (RFC
// 5246, 7.2.1) and for TCP a FIN, so the other direction can go on. A
// direction that fails closes both connections.
func splice(c *connection, accepted, target net.Conn) {
	type result struct {
		dir string
		n   int64
		err error
	}
	results := make(chan result, 2)
	// The end order is taken when a side's EOF arrives, before it is passed
	// on: once the half-close reaches the other side, that side may answer
	// and close before this goroutine runs again.
	var orderMu sync.Mutex
	var order []string
	copyHalf := func(dir string, dst, src net.Conn) {
		n, err := io.Copy(dst, src)
		if err == nil {
			who := "peer"
			if dir == "down" {
				who = "target"
			}
			orderMu.Lock()
			order = append(order, who+" closed")
			orderMu.Unlock()
			err = closeWrite(dst)
		}
		results <- result{dir, n, err}
	}
	go copyHalf("up", target, accepted)
	go copyHalf("down", accepted, target)

	var firstErr error
	for range 2 {
		r := <-results
		who := "peer"
		if r.dir == "up" {
			c.up = r.n
		} else {
			c.down = r.n
			who = "target"
		}
		if r.err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s side: %w", who, r.err)
			// Unblock the other direction; its own error is only a consequence.
			accepted.Close()
			target.Close()
		}
	}
	if firstErr != nil {
		c.end = "error: " + firstErr.Error()
		return
	}
	orderMu.Lock()
	defer orderMu.Unlock()
	c.end = strings.Join(order, ", then ")
}

// closeWrite half-closes conn: close_notify for TLS, FIN for TCP.
func closeWrite(conn net.Conn) error {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
