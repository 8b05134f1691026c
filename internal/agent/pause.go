package agent

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// PauseImage is the image of the containers that hold awsvpc tasks'
// network namespaces. The agent builds it locally, FROM scratch, so that
// no registry is ever needed: it holds one static program, /pause, that
// sleeps until it is killed.
const PauseImage = "quayside/pause:1"

// pauseProgram returns a minimal static ELF executable for the host's
// architecture that blocks in a system call forever. As PID 1 of its
// container it ignores SIGTERM; the agent removes it with SIGKILL.
func pauseProgram(arch string) ([]byte, error) {
	var machine uint16
	var code []byte
	switch arch {
	case "amd64":
		machine = 0x3e
		code = []byte{
			0xb8, 0x22, 0x00, 0x00, 0x00, // mov eax, 34 (pause)
			0x0f, 0x05, // syscall
			0xeb, 0xf7, // jmp back to the mov
		}
	case "arm64":
		machine = 0xb7
		for _, ins := range []uint32{
			0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, // mov x0..x3, #0
			0xd2800928, // mov x8, #73 (ppoll)
			0xd4000001, // svc #0
			0x17fffffa, // b back to the first mov
		} {
			code = binary.LittleEndian.AppendUint32(code, ins)
		}
	default:
		return nil, fmt.Errorf("awsvpc tasks need a pause program for %s, which Quayside does not have yet (amd64 and arm64 are supported)", arch)
	}
	const base, ehsize, phsize = 0x400000, 64, 56
	size := uint64(ehsize + phsize + len(code))
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	for _, v := range []any{
		uint16(2), machine, uint32(1), // executable, machine, version
		uint64(base + ehsize + phsize), uint64(ehsize), uint64(0), // entry, phoff, shoff
		uint32(0), uint16(ehsize), uint16(phsize), uint16(1), // flags, ehsize, phentsize, phnum
		uint16(0), uint16(0), uint16(0), // shentsize, shnum, shstrndx
		// the one program header: a read+execute LOAD of the whole file
		uint32(1), uint32(5), uint64(0), uint64(base), uint64(base), size, size, uint64(0x1000),
	} {
		_ = binary.Write(&b, le, v)
	}
	b.Write(code)
	return b.Bytes(), nil
}

// ensurePauseImage builds PauseImage unless Docker already has it.
func ensurePauseImage(ctx context.Context, d Docker) error {
	if _, err := d.ImageInspect(ctx, PauseImage); err == nil {
		return nil
	} else if !docker.IsNotFound(err) {
		return err
	}
	prog, err := pauseProgram(runtime.GOARCH)
	if err != nil {
		return err
	}
	var ctxTar bytes.Buffer
	tw := tar.NewWriter(&ctxTar)
	files := []struct {
		name string
		mode int64
		body []byte
	}{
		{"Dockerfile", 0o644, []byte("FROM scratch\nCOPY pause /pause\nENTRYPOINT [\"/pause\"]\n")},
		{"pause", 0o755, prog},
	}
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.body); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	_, err = d.ImageBuild(ctx, &ctxTar, docker.BuildOptions{Tags: []string{PauseImage}, Labels: map[string]string{LabelManaged: "true"}})
	if err != nil {
		return fmt.Errorf("build the pause image: %w", err)
	}
	return nil
}
