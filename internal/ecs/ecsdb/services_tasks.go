package ecsdb

import (
	"encoding/base64"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/store"
)

// RunTokens holds the idempotency tokens of RunTask calls:
//
//	table               key                                              value
//	ecs.runtokens       <region>/<account>/<cluster>/<base64url(token)>  RunToken
//
// The token is encoded because ECS allows any printable ASCII in it,
// slashes included.
const RunTokens = "ecs.runtokens"

// RunToken remembers what a RunTask call with a client token did, so that
// a retry with the same parameters returns the same tasks and a reuse
// with other parameters is refused.
type RunToken struct {
	Token string `json:"token"`
	// RequestHash identifies the call's parameters (without the token).
	RequestHash string    `json:"requestHash"`
	TaskIDs     []string  `json:"taskIds"`
	CreatedAt   time.Time `json:"createdAt"`
}

func runTokenKey(s Scope, cluster, token string) string {
	return s.key(cluster, base64.RawURLEncoding.EncodeToString([]byte(token)))
}

// GetRunToken returns a cluster's RunTask token, or store.ErrNotFound.
func GetRunToken(tx store.ReadTx, s Scope, cluster, token string) (RunToken, error) {
	return store.Get[RunToken](tx, RunTokens, runTokenKey(s, cluster, token))
}

// PutRunToken records a RunTask token.
func PutRunToken(tx store.Tx, s Scope, cluster string, t RunToken) error {
	return store.Put(tx, RunTokens, runTokenKey(s, cluster, t.Token), t)
}

// ScanTasks calls fn for each of a cluster's tasks in ID order, starting
// after the given task ID ("" for the first). fn returns store.ErrStop to
// end early.
func ScanTasks(tx store.ReadTx, s Scope, cluster, after string, fn func(t ecs.Task) error) error {
	return scan(tx, Tasks, s, cluster, after, fn)
}

// ScanServices calls fn for each of a cluster's services in name order,
// starting after the given name ("" for the first).
func ScanServices(tx store.ReadTx, s Scope, cluster, after string, fn func(svc ecs.Service) error) error {
	return scan(tx, Services, s, cluster, after, fn)
}

// ScanInstances calls fn for each of a cluster's container instances in
// ID order, starting after the given ID ("" for the first).
func ScanInstances(tx store.ReadTx, s Scope, cluster, after string, fn func(ci ecs.ContainerInstance) error) error {
	return scan(tx, Instances, s, cluster, after, fn)
}

func scan[T any](tx store.ReadTx, table string, s Scope, cluster, after string, fn func(T) error) error {
	p := s.key(cluster) + "/"
	return tx.Scan(table, p, afterKey(p, after), func(_ string, b []byte) error {
		v, err := decode[T](b)
		if err != nil {
			return err
		}
		return fn(v)
	})
}
