package interop

import (
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// stopTimeout bounds how long Stop waits for a killed process to be reaped.
const stopTimeout = 10 * time.Second

// Process is an external program started by a test. Its stdout and stderr
// are captured together into one buffer, in the order the program wrote
// them; its stdin is a pipe the test may write to. StartProcess registers
// Stop with t.Cleanup, so a Process never outlives its test.
type Process struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *syncBuffer

	// done is closed once the program has exited and been reaped; waitErr
	// is valid after that.
	done    chan struct{}
	waitErr error

	stopOnce sync.Once
}

// StartProcess starts name with args and registers its Stop with
// t.Cleanup. It fails the test if the program cannot be started.
func StartProcess(t testing.TB, name string, args ...string) *Process {
	t.Helper()
	p, err := startProcess(name, args...)
	if err != nil {
		t.Fatalf("interop: %v", err)
	}
	t.Cleanup(p.Stop)
	return p
}

func startProcess(name string, args ...string) (*Process, error) {
	cmd := exec.Command(name, args...)
	out := newSyncBuffer()
	cmd.Stdout = out
	cmd.Stderr = out
	// If the program leaves a grandchild holding our pipes, Wait would
	// block on them forever; give up on the pipes shortly after exit.
	cmd.WaitDelay = 2 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("stdin pipe for %s: %w", name, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &Process{name: name, cmd: cmd, stdin: stdin, out: out, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Stdin is the write end of the program's standard input. Closing it sends
// EOF, which makes many programs (s_client among them) finish.
func (p *Process) Stdin() io.WriteCloser { return p.stdin }

// Output returns everything the program has written to stdout and stderr
// so far.
func (p *Process) Output() string { return p.out.String() }

// Pid is the operating-system process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the program has terminated.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// WaitFor waits until the program's output contains substr. It returns an
// error, quoting the output, if the program exits first or timeout passes.
func (p *Process) WaitFor(substr string, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		out, changed := p.out.snapshot()
		if strings.Contains(out, substr) {
			return nil
		}
		select {
		case <-changed:
		case <-p.done:
			// Wait has returned, so every byte has been copied: one last look.
			if out := p.Output(); strings.Contains(out, substr) {
				return nil
			}
			return fmt.Errorf("interop: %s exited (%v) before printing %q; output:\n%s",
				p.name, p.waitErr, substr, p.Output())
		case <-timer.C:
			return fmt.Errorf("interop: %s did not print %q within %v; output:\n%s",
				p.name, substr, timeout, p.Output())
		}
	}
}

// Wait waits up to timeout for the program to exit by itself and returns
// its exit status (nil for status 0). On timeout it returns an error and
// leaves the program running; Stop or the test's cleanup will kill it.
func (p *Process) Wait(timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.done:
		return p.waitErr
	case <-timer.C:
		return fmt.Errorf("interop: %s still running after %v", p.name, timeout)
	}
}

// Stop kills the program if it is still running and waits for it to be
// reaped. It is safe to call more than once and from cleanup.
func (p *Process) Stop() {
	p.stopOnce.Do(func() {
		_ = p.stdin.Close()
		if !p.Exited() {
			// Kill targets this one pid, the process we started. It can
			// only fail if the program exited meanwhile, which is fine.
			_ = p.cmd.Process.Kill()
		}
		select {
		case <-p.done:
		case <-time.After(stopTimeout):
			// WaitDelay makes this unreachable in practice; never hang a test run.
		}
	})
}
