package wire

import (
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every server connection's goroutine decodes a ClientHello. A decoder
// frame of several KiB (as the 8 KiB extension bitmap was, on the stack)
// makes the runtime grow, by copying, every such goroutine's stack, and
// the bigger stack stays with the connection. Decoding must fit in the
// stack a goroutine starts with.
func TestDecodeHelloNeedsNoBigStack(t *testing.T) {
	data := buildHello(t, true, unknownExtensions(40))
	_, err := Parse(data, 0)
	require.NoError(t, err)

	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no GC shrinking stacks meanwhile
	const goroutines = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var parsed sync.WaitGroup
	release := make(chan struct{})
	parsed.Add(goroutines)
	for range goroutines {
		go func() {
			_, _ = Parse(data, 0)
			parsed.Done()
			<-release
		}()
	}
	parsed.Wait()
	runtime.ReadMemStats(&after)
	close(release)

	perGoroutine := (int64(after.StackInuse) - int64(before.StackInuse)) / goroutines
	assert.LessOrEqual(t, perGoroutine, int64(8<<10), "stack per goroutine after decoding a ClientHello")
}
