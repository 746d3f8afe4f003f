package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

// tourStop is one row of DEBUGGING.md's tour table.
type tourStop struct {
	breakpoint string   // e.g. handshake.(*clientHandshakeState).sendClientHello
	variables  []string // e.g. hs.clientRandom
}

var (
	tourRow      = regexp.MustCompile("^\\| *\\d+ *\\| *`([^`]+)` *\\| *(.*?) *\\|")
	backquoted   = regexp.MustCompile("`([^`]+)`")
	modulePrefix = "github.com/glasstls/glasstls/"
)

// readTour parses the tour table of DEBUGGING.md.
func readTour(t *testing.T) []tourStop {
	t.Helper()
	file, err := os.Open("DEBUGGING.md")
	require.NoError(t, err)
	defer file.Close()
	var stops []tourStop
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		m := tourRow.FindStringSubmatch(scanner.Text())
		if m == nil {
			continue
		}
		stop := tourStop{breakpoint: m[1]}
		for _, v := range backquoted.FindAllStringSubmatch(m[2], -1) {
			stop.variables = append(stop.variables, v[1])
		}
		stops = append(stops, stop)
	}
	require.NoError(t, scanner.Err())
	return stops
}

func TestTourTableParses(t *testing.T) {
	stops := readTour(t)
	require.GreaterOrEqual(t, len(stops), 10, "the tour table in DEBUGGING.md lost its rows")
	for _, s := range stops {
		assert.NotEmpty(t, s.variables, s.breakpoint)
	}
}

// TestDebuggingTour runs the walkthrough under Delve, non-interactively,
// with a breakpoint on every function of DEBUGGING.md's tour, printing
// every variable listed for it. Each breakpoint must be hit and each
// variable must be readable there.
func TestDebuggingTour(t *testing.T) {
	dlv := interop.RequireTool(t, "dlv")
	stops := readTour(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// Without optimisations and inlining, as dlv debug would build it, so
	// every variable is where the source says.
	binary := filepath.Join(dir, "walkthrough")
	build := exec.CommandContext(ctx, "go", "build", "-gcflags=all=-N -l", "-o", binary, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	var script strings.Builder
	for i, s := range stops {
		fmt.Fprintf(&script, "break bp%d %s%s\n", i, modulePrefix, s.breakpoint)
		for _, v := range s.variables {
			fmt.Fprintf(&script, "on bp%d print %s\n", i, v)
		}
	}
	// More continues than stops: once the program has exited, the rest
	// just report that it has.
	for range 4 * len(stops) {
		script.WriteString("continue\n")
	}
	script.WriteString("exit\n")
	scriptFile := filepath.Join(dir, "tour.dlv")
	require.NoError(t, os.WriteFile(scriptFile, []byte(script.String()), 0o600))

	cmd := exec.CommandContext(ctx, dlv, "exec", binary, "--allow-non-terminal-interactive=true", "--init", scriptFile, "--", "-seed", "1")
	cmd.Env = append(os.Environ(), "TERM=dumb", "NO_COLOR=1")
	cmd.WaitDelay = 5 * time.Second
	output, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "delve did not finish in time")
	require.NoError(t, err, "delve failed:\n%s", output)

	// Each hit prints "> [bpN] function() file:line ...", then one
	// "\tvariable: value" line per print.
	hits := map[int]bool{}
	readable := map[string]bool{}
	current := -1
	for _, line := range strings.Split(string(output), "\n") {
		var n int
		if _, err := fmt.Sscanf(line, "> [bp%d]", &n); err == nil {
			hits[n] = true
			current = n
			continue
		}
		if current < 0 || !strings.HasPrefix(line, "\t") {
			continue
		}
		for _, v := range stops[current].variables {
			if strings.HasPrefix(line, "\t"+v+": ") && !strings.Contains(line, "unreadable") {
				readable[fmt.Sprintf("%d/%s", current, v)] = true
			}
		}
	}
	for i, s := range stops {
		if !assert.True(t, hits[i], "breakpoint %s was never hit", s.breakpoint) {
			continue
		}
		for _, v := range s.variables {
			assert.True(t, readable[fmt.Sprintf("%d/%s", i, v)], "at %s, variable %s could not be read", s.breakpoint, v)
		}
	}
	if t.Failed() {
		t.Logf("delve output:\n%s", output)
	}
}
