package agent

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/docker"
)

// dockerLogFiles finds containers' json-file logs through the daemon the
// client talks to. The files are only of use when that daemon runs on
// this machine and the agent may read them (root, as Docker's own files
// are); otherwise opening them fails and the logs endpoint is used.
type dockerLogFiles struct{ c *docker.Client }

var _ logFiles = dockerLogFiles{}

// locate inspects the container for its log file and its log driver's
// options. Only a daemon on a local socket shares this machine's files.
func (d dockerLogFiles) locate(ctx context.Context, id string) (jsonLog, error) {
	if !strings.HasPrefix(d.c.Host(), "unix://") {
		return jsonLog{}, fmt.Errorf("docker host %s is not a local socket", d.c.Host())
	}
	c, err := d.c.ContainerInspect(ctx, id)
	if err != nil {
		return jsonLog{}, fmt.Errorf("inspecting container %s: %w", id, err)
	}
	var lc docker.LogConfig
	if c.HostConfig != nil {
		lc = c.HostConfig.LogConfig
	}
	return jsonLogOf(c.LogPath, lc)
}

// jsonLogOf checks that a container's log is one the shipper can follow
// on disk: json-file, with plain rotated files.
func jsonLogOf(path string, lc docker.LogConfig) (jsonLog, error) {
	if lc.Type != "json-file" {
		return jsonLog{}, fmt.Errorf("the container logs through Docker's %q driver, not json-file", lc.Type)
	}
	if path == "" {
		return jsonLog{}, fmt.Errorf("Docker names no log file for the container")
	}
	if c, _ := strconv.ParseBool(lc.Config["compress"]); c {
		return jsonLog{}, fmt.Errorf("the json-file driver compresses rotated files")
	}
	jl := jsonLog{path: path, maxFiles: 1}
	if v := lc.Config["max-file"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return jsonLog{}, fmt.Errorf("json-file max-file %q", v)
		}
		jl.maxFiles = n
	}
	return jl, nil
}

// waitStopped waits on Docker's wait endpoint: it answers once the
// container is stopped and its log driver closed, so the log is whole.
func (d dockerLogFiles) waitStopped(ctx context.Context, id string) error {
	_, err := d.c.ContainerWait(ctx, id, docker.WaitNotRunning)
	if docker.IsNotFound(err) {
		return nil
	}
	return err
}
