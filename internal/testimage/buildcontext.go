package testimage

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"
	"time"
)

// buildContext is a build context held in memory: paths to entries.
type buildContext struct {
	entries map[string]*tar.Header
	data    map[string][]byte
}

// epoch is the time of every entry, so identical inputs give identical
// contexts and the daemon's build cache hits.
var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func newBuildContext() *buildContext {
	return &buildContext{entries: map[string]*tar.Header{}, data: map[string][]byte{}}
}

func (bc *buildContext) add(h *tar.Header) {
	h.ModTime = epoch
	h.Format = tar.FormatPAX
	bc.entries[h.Name] = h
	for dir := path.Dir(h.Name); dir != "." && bc.entries[dir] == nil; dir = path.Dir(dir) {
		bc.entries[dir] = &tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX}
	}
}

func (bc *buildContext) file(name string, mode int64, data []byte) {
	bc.add(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(data))})
	bc.data[name] = data
}

func (bc *buildContext) dir(name string, mode int64) {
	bc.add(&tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: mode})
}

func (bc *buildContext) symlink(name, target string) {
	bc.add(&tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777})
}

// tar writes the context as a tar archive, parents before children.
func (bc *buildContext) tar() (io.Reader, error) {
	names := make([]string, 0, len(bc.entries))
	for name := range bc.entries {
		names = append(names, name)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range names {
		h := *bc.entries[name]
		if h.Typeflag == tar.TypeDir {
			h.Name += "/"
		}
		if err := tw.WriteHeader(&h); err != nil {
			return nil, fmt.Errorf("writing build context: %w", err)
		}
		if _, err := tw.Write(bc.data[name]); err != nil {
			return nil, fmt.Errorf("writing build context: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("writing build context: %w", err)
	}
	return &buf, nil
}

// busyboxContext lays out a root file system with the host's static
// busybox and a symlink to it for every applet it lists.
func busyboxContext() (*buildContext, error) {
	bin, err := os.ReadFile(BusyboxPath)
	if err != nil {
		return nil, fmt.Errorf("%w (install Debian's busybox-static package)", err)
	}
	if err := checkStatic(bin); err != nil {
		return nil, err
	}
	out, err := exec.Command(BusyboxPath, "--list-full").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --list-full: %w", BusyboxPath, err)
	}
	bc := newBuildContext()
	bc.file("rootfs/bin/busybox", 0o755, bin)
	for _, applet := range strings.Fields(string(out)) {
		// Applets at the top level ("linuxrc") have no place here.
		if !strings.Contains(applet, "/") || applet == "bin/busybox" {
			continue
		}
		bc.symlink("rootfs/"+applet, "/bin/busybox")
	}
	if bc.entries["rootfs/bin/sh"] == nil {
		return nil, fmt.Errorf("%s has no sh applet", BusyboxPath)
	}
	bc.dir("rootfs/tmp", 0o1777)
	bc.file("Dockerfile", 0o644, []byte("FROM scratch\nCOPY rootfs/ /\n"+
		"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCMD [\"sh\"]\n"))
	return bc, nil
}

// checkStatic fails for a dynamically linked executable, which cannot
// run in an image without its libraries (Debian's busybox package, as
// opposed to busybox-static).
func checkStatic(bin []byte) error {
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return fmt.Errorf("%s: %w", BusyboxPath, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked; install Debian's busybox-static package", BusyboxPath)
		}
	}
	return nil
}
