package redisfleet

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// ClientOptions say where the fleet's Redis is.
type ClientOptions struct {
	// Addrs is one address for a single Redis; several for a Redis
	// Cluster (any of its nodes: the client learns the rest), or for the
	// Sentinels when MasterName is set.
	Addrs []string
	// MasterName selects Sentinel: the name of the monitored master.
	MasterName string
	// Cluster treats a single address as a seed of a Redis Cluster.
	Cluster bool
	// DialTimeout bounds making a connection (default 1 s); each call is
	// bounded more tightly by its context (SessionCache's Timeout).
	DialTimeout time.Duration
}

// NewClient returns a go-redis UniversalClient: one code path for a single
// Redis, Sentinel and Redis Cluster. Its settings put the caller's context
// in charge of time: a deadline reaches the socket (ContextTimeoutEnabled),
// and a failed call is not retried, since a retry would wait again for
// what a miss gives at once.
func NewClient(o ClientOptions) redis.UniversalClient {
	dialTimeout := o.DialTimeout
	if dialTimeout <= 0 {
		dialTimeout = time.Second
	}
	return redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:                 o.Addrs,
		MasterName:            o.MasterName,
		IsClusterMode:         o.Cluster,
		ContextTimeoutEnabled: true,
		MaxRetries:            -1, // none
		DialTimeout:           dialTimeout,
		DialerRetries:         1,
		// Redis Cloud's maintenance notices need RESP3 and a command per
		// connection; a self-run Redis has none to send.
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
}

// Warm makes the client ready before the first handshake needs it: it
// connects to every master of a cluster (learning which holds which
// slots) or to the one Redis, and sends one command with a key (a cluster
// client first asks Redis for its COMMAND table, a large reply), so that
// the first lookups are not the ones that pay for all that against a
// timeout of a few milliseconds.
func Warm(ctx context.Context, client redis.UniversalClient) error {
	if cluster, ok := client.(*redis.ClusterClient); ok {
		err := cluster.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			return node.Ping(ctx).Err()
		})
		if err != nil {
			return err
		}
	}
	return client.Exists(ctx, DefaultPrefix+"warm-up").Err()
}

// quietLogger drops go-redis's own log lines: each failure they would
// report reaches the fleet's counted, once-per-interval lines instead.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// QuietRedisLog stops go-redis logging for the whole process (its logger
// is global).
func QuietRedisLog() { redis.SetLogger(quietLogger{}) }
