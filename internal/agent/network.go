package agent

import (
	"context"
	"fmt"

	"github.com/quayside/quayside/internal/docker"
)

// TaskNetwork is the Docker bridge network that awsvpc tasks' pause
// containers join. Each task gets its own address on it, reachable from
// the host, as a Fargate task has its own ENI.
const TaskNetwork = "quayside-tasks"

// networkInfo is what the agent knows of the task network.
type networkInfo struct {
	ID      string
	Subnet  string
	Gateway string
}

// ensureTaskNetwork creates the task network unless it exists. Docker
// picks a free private subnet from its pools unless subnet is given.
func ensureTaskNetwork(ctx context.Context, d Docker, subnet string) (networkInfo, error) {
	n, err := d.NetworkInspect(ctx, TaskNetwork)
	if docker.IsNotFound(err) {
		_, err = d.NetworkCreate(ctx, docker.NetworkCreateOptions{
			Name: TaskNetwork, Driver: "bridge", Subnet: subnet,
			Labels: map[string]string{LabelManaged: "true"},
		})
		if err != nil && !docker.IsConflict(err) {
			return networkInfo{}, fmt.Errorf("create the task network %s: %w", TaskNetwork, err)
		}
		n, err = d.NetworkInspect(ctx, TaskNetwork)
	}
	if err != nil {
		return networkInfo{}, fmt.Errorf("inspect the task network %s: %w", TaskNetwork, err)
	}
	info := networkInfo{ID: n.ID}
	if len(n.IPAM.Config) > 0 {
		info.Subnet, info.Gateway = n.IPAM.Config[0].Subnet, n.IPAM.Config[0].Gateway
	}
	return info, nil
}
