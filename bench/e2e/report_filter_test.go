package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestReportLeavesOutTablesNotRun: a run narrowed with -e2e.cases prints
// the tables of the cases it ran, not the others filled with dashes.
func TestReportLeavesOutTablesNotRun(t *testing.T) {
	p := params{rounds: 1, fill: 10, conc: []int{1, 2}}
	rep := &report{p: p, cases: map[string]kase{}, samples: map[string]map[string][]sample{}, idleRSS: map[string][3]int64{}}
	resumed := kase{name: "resumed by ticket, empty cache", servers: []string{glassServer}}
	rep.add(resumed, glassServer, sample{value: 4000, cpu: 150 * time.Microsecond})

	md := rep.markdown()
	assert.Contains(t, md, "| resumed by ticket, empty cache | 4000")
	assert.NotContains(t, md, "against client concurrency")
	assert.NotContains(t, md, "Memory:")
	assert.False(t, rep.hasConcurrency())

	rep.add(kase{name: "concurrency 2, full RSA-2048", servers: []string{glassServer}}, glassServer, sample{value: 600})
	assert.Contains(t, rep.markdown(), "against client concurrency")
	assert.True(t, rep.hasConcurrency())
}
