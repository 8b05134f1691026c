// Package testimage builds the Docker images that Quayside's end-to-end
// tests run. Nothing can be pulled in the test environment, so every
// image is built locally, FROM scratch, through the daemon's build API:
//
//	quayside-testapp:latest   /testapp (./testapp, compiled static) as ENTRYPOINT
//	quayside-busybox:latest   /bin/busybox from the host (Debian's
//	                          busybox-static) with a symlink per applet, so
//	                          ["sh", "-c", "..."] works; CMD ["sh"]
//
// The testapp binary is compiled once per test process. Builds are
// cached by the daemon, so calling Ensure* in every test is cheap.
//
// If the daemon cannot be reached, Ensure* return an error. Tests must
// then fail, never skip: a skipped end-to-end test proves nothing.
package testimage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/quayside/quayside/internal/docker"
)

// Image names.
const (
	TestAppImage = "quayside-testapp:latest"
	BusyboxImage = "quayside-busybox:latest"
)

// Label marks every image this package builds; its value is the image's
// short name ("testapp", "busybox").
const Label = "quayside.testimage"

// BusyboxPath is where the static busybox is found on the host.
const BusyboxPath = "/bin/busybox"

// ImageBuilder is the part of the Docker client this package uses.
type ImageBuilder interface {
	ImageBuild(ctx context.Context, tarContext io.Reader, opts docker.BuildOptions) (string, error)
}

var _ ImageBuilder = (*docker.Client)(nil)

// built remembers the images this process has built, so later calls
// return at once.
var built struct {
	sync.Mutex
	images map[string]bool
}

// EnsureTestApp builds quayside-testapp:latest and returns its name.
func EnsureTestApp(ctx context.Context, c ImageBuilder) (string, error) {
	return ensure(ctx, c, TestAppImage, "testapp", func() (*buildContext, error) {
		bin, err := testAppBinary(ctx)
		if err != nil {
			return nil, err
		}
		bc := newBuildContext()
		bc.file("rootfs/testapp", 0o755, bin)
		bc.dir("rootfs/tmp", 0o1777)
		bc.file("Dockerfile", 0o644, []byte(
			"FROM scratch\nCOPY rootfs/ /\nEXPOSE 8080\nENTRYPOINT [\"/testapp\"]\n"))
		return bc, nil
	})
}

// EnsureBusybox builds quayside-busybox:latest and returns its name.
func EnsureBusybox(ctx context.Context, c ImageBuilder) (string, error) {
	return ensure(ctx, c, BusyboxImage, "busybox", busyboxContext)
}

func ensure(ctx context.Context, c ImageBuilder, image, short string, makeContext func() (*buildContext, error)) (string, error) {
	built.Lock()
	defer built.Unlock()
	if built.images[image] {
		return image, nil
	}
	bc, err := makeContext()
	if err != nil {
		return "", fmt.Errorf("building %s: %w", image, err)
	}
	tarball, err := bc.tar()
	if err != nil {
		return "", fmt.Errorf("building %s: %w", image, err)
	}
	// Test binaries of several packages run at once; one build at a time
	// keeps them from racing to the same tag and leaving duplicates.
	unlock, err := lockBuilds()
	if err != nil {
		return "", fmt.Errorf("building %s: %w", image, err)
	}
	defer unlock()
	var out bytes.Buffer
	_, err = c.ImageBuild(ctx, tarball, docker.BuildOptions{
		Tags:   []string{image},
		Labels: map[string]string{Label: short},
		Output: &out,
	})
	if err != nil {
		return "", fmt.Errorf("building %s: %w\n%s", image, err, out.String())
	}
	if built.images == nil {
		built.images = map[string]bool{}
	}
	built.images[image] = true
	return image, nil
}

// testApp caches the compiled testapp for the life of the process.
var testApp struct {
	sync.Mutex
	bin []byte
}

// testAppBinary compiles ./testapp as a static Linux binary.
func testAppBinary(ctx context.Context) ([]byte, error) {
	testApp.Lock()
	defer testApp.Unlock()
	if testApp.bin != nil {
		return testApp.bin, nil
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "quayside-testapp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "testapp")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./testapp")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("compiling testapp: %w\n%s", err, msg)
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	testApp.bin = bin
	return bin, nil
}

// moduleRoot finds the directory of Quayside's go.mod from the working
// directory, which for a test is its package's directory.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("finding the module root: %s is not inside the quayside module", workingDir())
	}
	return filepath.Dir(gomod), nil
}

func workingDir() string {
	wd, _ := os.Getwd()
	return wd
}

// lockBuilds takes a lock shared by every process on the machine.
func lockBuilds() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "quayside-testimage.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return func() { f.Close() }, nil
}
