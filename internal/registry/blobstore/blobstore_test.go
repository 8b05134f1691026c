package blobstore

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/quayside/quayside/internal/ecr"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func appendAll(t *testing.T, s *Store, id string, st State, b []byte) State {
	t.Helper()
	st, err := s.Append(id, st, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestUploadInChunksAndCommit(t *testing.T) {
	tests := []struct {
		name   string
		algo   string
		chunks []string
	}{
		{"one chunk", ecr.SHA256, []string{"hello world"}},
		{"three chunks", ecr.SHA256, []string{"hel", "lo w", "orld"}},
		{"empty", ecr.SHA256, nil},
		{"sha512", ecr.SHA512, []string{"hello", " world"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			if err := s.CreateUpload("u1"); err != nil {
				t.Fatal(err)
			}
			var st State
			var all []byte
			for _, c := range tt.chunks {
				st = appendAll(t, s, "u1", st, []byte(c))
				all = append(all, c...)
			}
			want := ecr.FromBytes(tt.algo, all)
			info, err := s.Commit("u1", st, want)
			if err != nil {
				t.Fatal(err)
			}
			if info.Size != int64(len(all)) {
				t.Fatalf("size %d, want %d", info.Size, len(all))
			}
			got, err := os.ReadFile(s.Path(want))
			if err != nil || !bytes.Equal(got, all) {
				t.Fatalf("blob file = %q, %v", got, err)
			}
			if _, err := os.Stat(filepath.Join(s.uploads, "u1")); !os.IsNotExist(err) {
				t.Fatalf("upload file remains: %v", err)
			}
		})
	}
}

func TestCommitRefusesWrongDigest(t *testing.T) {
	s := open(t)
	_ = s.CreateUpload("u")
	st := appendAll(t, s, "u", State{}, []byte("content"))
	if _, err := s.Commit("u", st, ecr.FromBytes(ecr.SHA256, []byte("other"))); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Commit = %v, want ErrDigestMismatch", err)
	}
	n := 0
	_ = s.Walk(func(Info) error { n++; return nil })
	if n != 0 {
		t.Fatalf("%d blobs after a refused commit", n)
	}
}

// TestResumeDiscardsBytesPastTheRecord is the crash case: bytes reached
// the file but their offset never reached the store.
func TestResumeDiscardsBytesPastTheRecord(t *testing.T) {
	s := open(t)
	_ = s.CreateUpload("u")
	recorded := appendAll(t, s, "u", State{}, []byte("first-"))
	_ = appendAll(t, s, "u", recorded, []byte("LOST BYTES")) // "crash": never recorded
	st := appendAll(t, s, "u", recorded, []byte("second"))
	want := ecr.FromBytes(ecr.SHA256, []byte("first-second"))
	if _, err := s.Commit("u", st, want); err != nil {
		t.Fatal(err)
	}
	// Also when the crash hit between the last append and the commit.
	_ = s.CreateUpload("v")
	st = appendAll(t, s, "v", State{}, []byte("abc"))
	_ = appendAll(t, s, "v", st, []byte("junk"))
	if _, err := s.Commit("v", st, ecr.FromBytes(ecr.SHA512, []byte("abc"))); err != nil {
		t.Fatal(err)
	}
}

func TestAppendKeepsProgressOnReadError(t *testing.T) {
	s := open(t)
	_ = s.CreateUpload("u")
	r := io.MultiReader(bytes.NewReader([]byte("partial")), iotest.ErrReader(io.ErrUnexpectedEOF))
	st, err := s.Append("u", State{}, r)
	var re *ReadError
	if !errors.As(err, &re) || st.Offset != 7 {
		t.Fatalf("Append = %+v, %v; want offset 7 and a ReadError", st, err)
	}
	st = appendAll(t, s, "u", st, []byte(" rest"))
	if _, err := s.Commit("u", st, ecr.FromBytes(ecr.SHA256, []byte("partial rest"))); err != nil {
		t.Fatal(err)
	}
}

func TestCommitOfExistingBlob(t *testing.T) {
	s := open(t)
	d := ecr.FromBytes(ecr.SHA256, []byte("same"))
	for _, id := range []string{"a", "b"} {
		_ = s.CreateUpload(id)
		st := appendAll(t, s, id, State{}, []byte("same"))
		if _, err := s.Commit(id, st, d); err != nil {
			t.Fatal(err)
		}
	}
	var got []ecr.Digest
	_ = s.Walk(func(i Info) error { got = append(got, i.Digest); return nil })
	if len(got) != 1 || got[0] != d {
		t.Fatalf("blobs = %v", got)
	}
	if err := s.Delete(d); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(d); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Stat after Delete = %v", err)
	}
}

func TestUploadIDsCannotEscape(t *testing.T) {
	s := open(t)
	for _, id := range []string{"../x", "a/b", "", ".", "x y", string(bytes.Repeat([]byte("a"), 65))} {
		if ValidUploadID(id) {
			t.Errorf("ValidUploadID(%q) = true", id)
		}
		if err := s.CreateUpload(id); err == nil {
			t.Errorf("CreateUpload(%q) succeeded", id)
		}
		if _, err := s.Append(id, State{}, bytes.NewReader(nil)); !errors.Is(err, ErrNotFound) {
			t.Errorf("Append(%q) = %v", id, err)
		}
	}
}
