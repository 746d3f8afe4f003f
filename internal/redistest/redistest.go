// Package redistest starts real redis-server processes for tests (the
// tunnel's Redis behind TLS, the fleet's shared session store): a single
// Redis, or a three-node Redis Cluster, on loopback ports, without
// persistence, stopped when the test ends. Under CI=true a missing
// redis-server or redis-cli fails the test (interop.RequireTool); .ci/run
// installs them.
package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glasstls/glasstls/internal/interop"
)

// startTimeout bounds each wait for Redis to come up.
const startTimeout = 20 * time.Second

// Node is one redis-server process.
type Node struct {
	Port        int
	clusterPort int // the cluster bus; 0 outside a cluster
	dir         string
	proc        *interop.Process
}

// Addr is the node's host:port.
func (n *Node) Addr() string { return "127.0.0.1:" + strconv.Itoa(n.Port) }

// Redis is a running single Redis or Redis Cluster.
type Redis struct {
	t       testing.TB
	Nodes   []*Node
	Cluster bool
}

// Addrs are the addresses of every node: what the fleet's -redis takes.
func (r *Redis) Addrs() []string {
	addrs := make([]string, len(r.Nodes))
	for i, n := range r.Nodes {
		addrs[i] = n.Addr()
	}
	return addrs
}

// Flag is Addrs joined with commas.
func (r *Redis) Flag() string { return strings.Join(r.Addrs(), ",") }

func (r *Redis) start(n *Node) {
	r.t.Helper()
	args := []string{"--port", strconv.Itoa(n.Port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", n.dir}
	if r.Cluster {
		args = append(args, "--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(n.clusterPort),
			"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000")
	}
	n.proc = interop.StartProcess(r.t, interop.RequireTool(r.t, "redis-server"), args...)
	if err := n.proc.WaitFor("Ready to accept connections", startTimeout); err != nil {
		r.t.Fatal(err)
	}
}

// Start runs one redis-server on a free loopback port.
func Start(t testing.TB) *Redis {
	t.Helper()
	return StartOn(t, interop.FreePort(t))
}

// StartOn runs one redis-server on port.
func StartOn(t testing.TB, port int) *Redis {
	t.Helper()
	interop.RequireTool(t, "redis-cli")
	r := &Redis{t: t, Nodes: []*Node{{Port: port, dir: t.TempDir()}}}
	r.start(r.Nodes[0])
	return r
}

// StartCluster runs three redis-servers with --cluster-enabled yes and
// joins them with `redis-cli --cluster create` (three masters, no
// replicas), then waits until every node reports cluster_state:ok.
func StartCluster(t testing.TB) *Redis {
	t.Helper()
	interop.RequireTool(t, "redis-cli")
	r := &Redis{t: t, Cluster: true}
	for range 3 {
		n := &Node{Port: interop.FreePort(t), clusterPort: interop.FreePort(t), dir: t.TempDir()}
		r.Nodes = append(r.Nodes, n)
		r.start(n)
	}
	out, err := r.CLI(r.Nodes[0], append(append([]string{"--cluster", "create"}, r.Addrs()...), "--cluster-replicas", "0", "--cluster-yes")...)
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	r.WaitClusterOK()
	return r
}

// WaitClusterOK waits until every node says cluster_state:ok.
func (r *Redis) WaitClusterOK() {
	r.t.Helper()
	deadline := time.Now().Add(startTimeout)
	for _, n := range r.Nodes {
		for {
			out, _ := r.CLI(n, "CLUSTER", "INFO")
			if strings.Contains(out, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				r.t.Fatalf("cluster never became ok on %s:\n%s", n.Addr(), out)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// CLI runs redis-cli against node with args and returns its output.
func (r *Redis) CLI(n *Node, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	full := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(n.Port)}, args...)
	out, err := exec.CommandContext(ctx, interop.RequireTool(r.t, "redis-cli"), full...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// Signal sends sig to every node (SIGSTOP hangs Redis: connections open
// but nothing answers; SIGCONT wakes it).
func (r *Redis) Signal(sig syscall.Signal) {
	r.t.Helper()
	for _, n := range r.Nodes {
		if err := syscall.Kill(n.proc.Pid(), sig); err != nil {
			r.t.Fatalf("signal %v to redis-server on %s: %v", sig, n.Addr(), err)
		}
	}
}

// Kill stops every node at once (SIGKILL, which ends a stopped process
// too): Redis is gone, its data with it.
func (r *Redis) Kill() {
	for _, n := range r.Nodes {
		n.proc.Stop()
	}
}

// Restart starts every node again on its old port, empty. A cluster node
// keeps its nodes.conf, so the cluster comes back with the same slots.
func (r *Redis) Restart() {
	r.t.Helper()
	for _, n := range r.Nodes {
		r.start(n)
	}
	if r.Cluster {
		r.WaitClusterOK()
	}
}

// String names the setup in test names.
func (r *Redis) String() string {
	if r.Cluster {
		return fmt.Sprintf("cluster of %d", len(r.Nodes))
	}
	return "single"
}
