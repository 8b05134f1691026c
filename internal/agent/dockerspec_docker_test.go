package agent

// This test hands ContainerSpec's output to the real daemon: Docker must
// create and start it, and a script inside the container checks that the
// settings took effect. Without Docker it fails, as the docker package's
// tests do. It removes every container it creates.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/testimage"
)

// specScript runs inside the container and exits 1 naming the first
// check that fails.
const specScript = `fail() { echo "FAILED: $1"; exit 1; }
test "$MODE" = debug || fail "override environment"
test "$DB_PASSWORD" = pw || fail secrets
test "$FROM_FILE" = 1 || fail "environment files"
test "$(id -u)" = 1000 || fail user
test "$PWD" = /srv || fail workingDirectory
test "$(ulimit -n)" = 1024 || fail ulimits
grep -q ' /run tmpfs .*noexec' /proc/mounts || fail tmpfs
grep -q ' /data tmpfs ' /proc/mounts || fail mountPoints
touch /rootfs-is-writable 2>/dev/null && fail readonlyRootFilesystem
test "$(cat /proc/1/comm)" != sh || fail initProcessEnabled
if [ -n "$WANT_SOMAXCONN" ]; then test "$(cat /proc/sys/net/core/somaxconn)" = "$WANT_SOMAXCONN" || fail systemControls; fi
echo OK`

func TestContainerSpecOnDocker(t *testing.T) {
	c, err := docker.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("this test needs Docker: %v", err)
	}
	img, err := testimage.EnsureBusybox(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "quayside-spectest-" + hex.EncodeToString(b) + "-"
	create := func(t *testing.T, name string, cfg *docker.ContainerConfig, host *docker.HostConfig, netw *docker.NetworkingConfig) string {
		t.Helper()
		id, err := c.ContainerCreate(ctx, prefix+name, cfg, host, netw)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := c.ContainerRemove(ctx, id, docker.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !docker.IsNotFound(err) {
				t.Errorf("remove %s: %v", name, err)
			}
		})
		if err := c.ContainerStart(ctx, id); err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		return id
	}
	// The pause container stands in for the runner's: it holds the
	// network namespace (awsvpc) and shareable PID and IPC namespaces.
	pause := create(t, "pause", &docker.ContainerConfig{Image: img, Cmd: []string{"sleep", "600"}},
		&docker.HostConfig{IpcMode: "shareable"}, nil)

	for _, mode := range []ecs.NetworkMode{ecs.NetworkModeAWSVPC, ecs.NetworkModeBridge, ecs.NetworkModeHost, ecs.NetworkModeNone} {
		t.Run(string(mode), func(t *testing.T) {
			def := specFullDefinition()
			def.Image, def.Links = img, nil
			def.Interactive, def.PseudoTerminal = false, false
			def.PortMappings[0].HostPort = 0 // dynamic with bridge
			def.EntryPoint = []string{"sh", "-c"}
			in := specFullInput(def, mode)
			in.PauseID = pause
			in.Volumes = map[string]VolumeSource{"data": {Kind: "tmpfs"}}
			in.ContainerIDs = map[string]string{"seed": pause}
			in.Override.Command = []string{specScript}
			switch mode {
			case ecs.NetworkModeHost:
				in.Container.SystemControls = nil // net.* cannot be set in the host's namespace
			case ecs.NetworkModeAWSVPC, ecs.NetworkModeBridge:
				in.Env = append(in.Env, ecs.KeyValuePair{Name: "WANT_SOMAXCONN", Value: "1024"})
			}
			cfg, host, netw, err := ContainerSpec(in)
			if err != nil {
				t.Fatal(err)
			}
			id := create(t, string(mode), cfg, host, netw)
			code, err := c.ContainerWait(ctx, id, docker.WaitNotRunning)
			if err != nil {
				t.Fatal(err)
			}
			if code != 0 {
				t.Errorf("the checks inside the container failed (exit %d): %s", code, specLogs(ctx, c, id))
			}
			got, err := c.ContainerInspect(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Config.Healthcheck == nil || got.Config.Healthcheck.Test[0] != "CMD-SHELL" {
				t.Errorf("Healthcheck = %+v", got.Config.Healthcheck)
			}
			if want := specNetworkModeWant(mode, pause); got.HostConfig.NetworkMode != want {
				t.Errorf("NetworkMode = %q, want %q", got.HostConfig.NetworkMode, want)
			}
		})
	}

	t.Run("no healthCheck", func(t *testing.T) {
		in := specBaseInput()
		in.Container.Image, in.Container.Command = img, []string{"true"}
		in.PauseID = pause
		cfg, host, netw, err := ContainerSpec(in)
		if err != nil {
			t.Fatal(err)
		}
		id := create(t, "nohealth", cfg, host, netw)
		if _, err := c.ContainerWait(ctx, id, docker.WaitNotRunning); err != nil {
			t.Fatal(err)
		}
		got, err := c.ContainerInspect(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.State.Health != nil || got.Config.Healthcheck == nil || strings.Join(got.Config.Healthcheck.Test, " ") != "NONE" {
			t.Errorf("health %+v, health check %+v; want none", got.State.Health, got.Config.Healthcheck)
		}
	})
}

func specNetworkModeWant(mode ecs.NetworkMode, pause string) string {
	if mode == ecs.NetworkModeAWSVPC {
		return "container:" + pause
	}
	return string(mode)
}

// specLogs returns the container's output, for a failure message.
func specLogs(ctx context.Context, c *docker.Client, id string) string {
	r, err := c.ContainerLogs(ctx, id, docker.LogsOptions{})
	if err != nil {
		return err.Error()
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	return strings.ToValidUTF8(string(b), "?")
}
