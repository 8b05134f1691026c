package testimage

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// entries reads a build context back into name → header.
func entries(t *testing.T, bc *buildContext) map[string]*tar.Header {
	t.Helper()
	r, err := bc.tar()
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(r)
	out := map[string]*tar.Header{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, seen := out[h.Name]; seen {
			t.Errorf("%s appears twice", h.Name)
		}
		out[h.Name] = h
	}
}

func TestBusyboxContext(t *testing.T) {
	bc, err := busyboxContext()
	if err != nil {
		t.Fatal(err)
	}
	got := entries(t, bc)
	checks := []struct {
		name     string
		typeflag byte
		link     string
	}{
		{"rootfs/", tar.TypeDir, ""},
		{"rootfs/bin/", tar.TypeDir, ""},
		{"rootfs/bin/busybox", tar.TypeReg, ""},
		{"rootfs/bin/sh", tar.TypeSymlink, "/bin/busybox"},
		{"rootfs/usr/bin/wget", tar.TypeSymlink, "/bin/busybox"},
		{"rootfs/tmp/", tar.TypeDir, ""},
		{"Dockerfile", tar.TypeReg, ""},
	}
	for _, c := range checks {
		h := got[c.name]
		if h == nil || h.Typeflag != c.typeflag || h.Linkname != c.link {
			t.Errorf("%s = %+v, want type %c link %q", c.name, h, c.typeflag, c.link)
		}
	}
	if h := got["rootfs/tmp/"]; h != nil && h.Mode != 0o1777 {
		t.Errorf("/tmp mode %o, want 1777", h.Mode)
	}
	if _, ok := got["rootfs/linuxrc"]; ok {
		t.Error("top-level applet linuxrc was laid out")
	}
}

func TestCheckStatic(t *testing.T) {
	// The test binary itself is dynamically linked only with cgo; /bin/ls
	// on Debian always is.
	ls, err := os.ReadFile("/bin/ls")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkStatic(ls); err == nil || !strings.Contains(err.Error(), "busybox-static") {
		t.Errorf("checkStatic(/bin/ls) = %v, want a dynamic-linking error", err)
	}
	bb, err := os.ReadFile(BusyboxPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkStatic(bb); err != nil {
		t.Errorf("checkStatic(%s) = %v", BusyboxPath, err)
	}
}

// TestImagesRun builds both images and runs each once. Without Docker it
// fails.
func TestImagesRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := docker.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		ensure   func(context.Context, ImageBuilder) (string, error)
		cmd      []string
		wantCode int
		wantOut  string
	}{
		{EnsureBusybox, []string{"sh", "-c", "echo $((6*7)) && test -d /tmp && exit 5"}, 5, "42\n"},
		{EnsureTestApp, []string{"-crash", "-exit-code", "7"}, 7, "testapp crashing with exit code 7\n"},
	}
	for _, tt := range tests {
		image, err := tt.ensure(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		id, err := c.ContainerCreate(ctx, "", &docker.ContainerConfig{Image: image, Cmd: tt.cmd}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.ContainerRemove(context.Background(), id, docker.ContainerRemoveOptions{Force: true}) })
		if err := c.ContainerStart(ctx, id); err != nil {
			t.Fatal(err)
		}
		code, err := c.ContainerWait(ctx, id, docker.WaitNotRunning)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := c.ContainerLogs(ctx, id, docker.LogsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var out, errOut strings.Builder
		err = docker.Demux(&out, &errOut, rc)
		rc.Close()
		if err != nil || code != tt.wantCode || out.String() != tt.wantOut {
			t.Errorf("%s %q: exit %d, output %q %q, err %v; want exit %d, output %q",
				image, tt.cmd, code, out.String(), errOut.String(), err, tt.wantCode, tt.wantOut)
		}
	}
}
