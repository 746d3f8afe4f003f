package interop

import (
	"bytes"
	"sync"
)

// maxCaptured bounds what a Process keeps of its output, so a chatty or
// runaway peer cannot eat the test machine's memory.
const maxCaptured = 8 << 20

// syncBuffer collects a process's stdout and stderr from exec's copying
// goroutines while tests read it, and wakes waiters on every write.
type syncBuffer struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	truncated bool
	// changed is closed and replaced on every write: a broadcast that
	// needs no polling and works for any number of waiters.
	changed chan struct{}
}

func newSyncBuffer() *syncBuffer {
	return &syncBuffer{changed: make(chan struct{})}
}

// Write appends p, dropping whatever exceeds maxCaptured. It never fails,
// so the child is never blocked by a full capture.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	room := maxCaptured - b.buf.Len()
	if room < len(p) {
		b.truncated = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
	} else {
		b.buf.Write(p)
	}
	close(b.changed)
	b.changed = make(chan struct{})
	return len(p), nil
}

// snapshot returns the text so far and a channel closed at the next write.
func (b *syncBuffer) snapshot() (string, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if b.truncated {
		s += "\n[interop: output truncated]\n"
	}
	return s, b.changed
}

func (b *syncBuffer) String() string {
	s, _ := b.snapshot()
	return s
}

// LogBuffer is a log destination a test reads while the code under test
// writes to it from its own goroutines (a server's or a tunnel's logger).
// The zero value is ready to use.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
