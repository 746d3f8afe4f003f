package redisfleet

import (
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// failures counts what went wrong talking to Redis and reports it to a log
// at most once per interval: an outage seen by ten thousand handshakes is
// a handful of lines, not ten thousand. After a few failures in a row it
// also keeps the callers away from Redis for a short backoff, so that
// while Redis hangs only a few calls per backoff wait out their timeout
// and the rest answer at once. (One slow call on a busy machine does not
// trip it: it takes tripAfter failures with no success between them.)
type failures struct {
	what     string // "session cache", "ticket keys": the start of every line
	logger   *log.Logger
	interval time.Duration
	backoff  time.Duration
	now      func() time.Time

	total    atomic.Uint64
	inARow   atomic.Uint64 // failures since the last success
	failing  atomic.Bool   // since the last success
	awayTill atomic.Int64  // unix nanoseconds: skip Redis until then

	mu        sync.Mutex
	unlogged  uint64 // failures since the last line
	lastLine  time.Time
	lastError error
}

// tripAfter is how many failures in a row send callers away for a backoff.
const tripAfter = 3

func newFailures(what string, logger *log.Logger, interval, backoff time.Duration, now func() time.Time) *failures {
	return &failures{what: what, logger: logger, interval: interval, backoff: backoff, now: now}
}

// skip reports whether a caller should not try Redis now (a recent failure).
func (f *failures) skip() bool {
	return f.inARow.Load() >= tripAfter && f.now().UnixNano() < f.awayTill.Load()
}

// failed records err; the first failure after a quiet interval is logged
// with the count of those not yet logged.
func (f *failures) failed(err error) {
	f.total.Add(1)
	now := f.now()
	if f.inARow.Add(1) >= tripAfter {
		f.awayTill.Store(now.Add(f.backoff).UnixNano())
	}
	f.failing.Store(true)

	f.mu.Lock()
	defer f.mu.Unlock()
	f.unlogged++
	f.lastError = err
	if now.Sub(f.lastLine) < f.interval {
		return
	}
	f.logger.Printf("%s: %d Redis failure(s) since the last report, latest: %v (each one is a miss: a full handshake, never a failed one)", f.what, f.unlogged, err)
	f.unlogged, f.lastLine = 0, now
}

// succeeded ends a run of failures, with a line saying so.
func (f *failures) succeeded() {
	if !f.failing.Load() {
		return // the common case: one atomic load
	}
	f.inARow.Store(0)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.failing.CompareAndSwap(true, false) {
		return
	}
	f.logger.Printf("%s: Redis answers again (%d failure(s) since the last report, latest: %v)", f.what, f.unlogged, f.lastError)
	f.unlogged, f.lastLine = 0, f.now()
}

// count is how many failures there have been in all.
func (f *failures) count() uint64 { return f.total.Load() }
