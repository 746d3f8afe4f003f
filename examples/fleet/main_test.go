package main

import (
	"os"
	"testing"

	"github.com/glasstls/glasstls/examples/fleet/redisfleet"
)

func TestMain(m *testing.M) {
	// As main does: the fleet logs Redis failures itself, counted.
	redisfleet.QuietRedisLog()
	os.Exit(m.Run())
}
