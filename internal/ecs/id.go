package ecs

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// DeploymentIDPrefix begins every deployment and task set ID.
const DeploymentIDPrefix = "ecs-svc/"

// IDs makes the identifiers ECS assigns: task IDs, deployment IDs,
// container and event UUIDs. Its randomness source is injected so that
// tests are repeatable; it is safe for concurrent use.
//
// A failing randomness source is unrecoverable, as it is for crypto/rand:
// the methods panic rather than hand out a predictable identifier.
type IDs struct {
	mu sync.Mutex
	r  io.Reader
}

// NewIDs returns a generator reading from r, or from crypto/rand when r
// is nil.
func NewIDs(r io.Reader) *IDs {
	if r == nil {
		r = rand.Reader
	}
	return &IDs{r: r}
}

func (g *IDs) read(n int) []byte {
	b := make([]byte, n)
	g.mu.Lock()
	_, err := io.ReadFull(g.r, b)
	g.mu.Unlock()
	if err != nil {
		panic(fmt.Sprintf("ecs: reading randomness for an ID: %v", err))
	}
	return b
}

// TaskID returns a task ID: 32 lowercase hexadecimal characters.
func (g *IDs) TaskID() string { return hex.EncodeToString(g.read(16)) }

// ContainerInstanceID returns a container instance ID, in the same
// 32-hex-character form as task IDs.
func (g *IDs) ContainerInstanceID() string { return hex.EncodeToString(g.read(16)) }

// DeploymentID returns a deployment ID: ecs-svc/ followed by 19 digits,
// the first of them not zero.
func (g *IDs) DeploymentID() string {
	const lo, span = 1_000_000_000_000_000_000, 9_000_000_000_000_000_000
	n := binary.BigEndian.Uint64(g.read(8))%span + lo
	return DeploymentIDPrefix + strconv.FormatUint(n, 10)
}

// TaskSetID returns a task set ID, which has the deployment ID form.
func (g *IDs) TaskSetID() string { return g.DeploymentID() }

// UUID returns a random (version 4) UUID in its canonical lowercase form,
// as ECS uses for container IDs, service event IDs and attachment IDs.
func (g *IDs) UUID() string {
	b := g.read(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ENIID returns an elastic network interface ID: eni- and 17 hex
// characters.
func (g *IDs) ENIID() string { return "eni-" + hex.EncodeToString(g.read(9))[:17] }

// IsTaskID reports whether s has the form of a task ID.
func IsTaskID(s string) bool { return len(s) == 32 && isLowerHex(s) }

// IsDeploymentID reports whether s has the form ecs-svc/<19 digits>.
func IsDeploymentID(s string) bool {
	if len(s) != len(DeploymentIDPrefix)+19 || s[:len(DeploymentIDPrefix)] != DeploymentIDPrefix {
		return false
	}
	for _, c := range s[len(DeploymentIDPrefix):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
