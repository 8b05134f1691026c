package docker_test

import (
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/docker"
)

// TestVolumes shares a named volume between containers by mount, by bind
// and through VolumesFrom, and checks read-only roots and tmpfs.
func TestVolumes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.busybox()
	vol, err := e.c.VolumeCreate(e.ctx, docker.VolumeCreateOptions{Name: "quayside-test-" + e.run, Labels: e.labels})
	if err != nil {
		t.Fatal(err)
	}
	if vol.Driver != "local" || vol.Labels[runLabel] != e.run {
		t.Errorf("volume = %+v", vol)
	}
	vols, err := e.c.VolumeList(e.ctx, docker.Filters{"label": {runLabel + "=" + e.run}})
	if err != nil || len(vols) != 1 || vols[0].Name != vol.Name {
		t.Errorf("VolumeList = %+v, %v", vols, err)
	}

	run := func(name string, host *docker.HostConfig, script string) string {
		t.Helper()
		id := e.create(name, &docker.ContainerConfig{Image: image, Cmd: []string{"sh", "-c", script}}, host, nil)
		e.start(id)
		if code := e.wait(id); code != 0 {
			out, errOut := e.logs(id)
			t.Fatalf("%s exited %d: %s%s", name, code, out, errOut)
		}
		return id
	}
	writer := run("writer", &docker.HostConfig{
		Mounts: []docker.Mount{{Type: "volume", Source: vol.Name, Target: "/data"}},
	}, "echo data-"+e.run+" > /data/f")
	reader := run("reader", &docker.HostConfig{
		Binds:          []string{vol.Name + ":/data:ro"},
		ReadonlyRootfs: true,
		Tmpfs:          map[string]string{"/scratch": "size=1m"},
	}, "cat /data/f && ! touch /data/g 2>/dev/null && ! touch /rootfile 2>/dev/null && touch /scratch/ok")
	if out, _ := e.logs(reader); out != "data-"+e.run+"\n" {
		t.Errorf("reader read %q", out)
	}
	inherit := run("inherit", &docker.HostConfig{VolumesFrom: []string{writer + ":ro"}}, "cat /data/f")
	if out, _ := e.logs(inherit); out != "data-"+e.run+"\n" {
		t.Errorf("VolumesFrom reader read %q", out)
	}

	err = e.c.VolumeRemove(e.ctx, vol.Name, false)
	if !docker.IsConflict(err) {
		t.Errorf("removing a volume in use: err = %v, want a conflict", err)
	}
	for _, id := range []string{writer, reader, inherit} {
		if err := e.c.ContainerRemove(e.ctx, id, docker.ContainerRemoveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.c.VolumeRemove(e.ctx, vol.Name, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.ContainerInspect(e.ctx, writer); !docker.IsNotFound(err) {
		t.Errorf("inspecting a removed container: err = %v, want not found", err)
	}
	if !strings.HasPrefix(vol.Mountpoint, "/") {
		t.Errorf("volume mountpoint %q", vol.Mountpoint)
	}
}
