package blobstore

import (
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// ErrDigestMismatch is returned by Commit when the content does not hash
// to the digest given.
var ErrDigestMismatch = errors.New("blobstore: content does not match digest")

// ReadError wraps an error reading the client's body during Append, as
// opposed to a local disk error.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "reading upload body: " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// State is an upload's durable progress: Offset bytes are on disk and
// Hash is the sha256 state after them (nil for none).
type State struct {
	Offset int64
	Hash   []byte
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 1<<20); return &b }}

// ValidUploadID reports whether id can name an upload file: 1 to 64
// letters, digits and dashes.
func ValidUploadID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Store) uploadPath(id string) (string, error) {
	if !ValidUploadID(id) {
		return "", ErrNotFound
	}
	return filepath.Join(s.uploads, id), nil
}

// CreateUpload creates an upload's empty file.
func (s *Store) CreateUpload(id string) error {
	p, err := s.uploadPath(id)
	if err != nil {
		return fmt.Errorf("blob store: invalid upload id %q", id)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncDir(s.uploads)
}

// Append writes r to the upload after st.Offset bytes, fsyncs, and
// returns the new state. Bytes past st.Offset (left by a crash or an
// earlier failed append) are discarded first. If reading r fails, the
// bytes read so far are kept and the new state is returned with a
// *ReadError, so the client may resume where it stopped.
func (s *Store) Append(id string, st State, r io.Reader) (State, error) {
	p, err := s.uploadPath(id)
	if err != nil {
		return st, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return st, ErrNotFound
	} else if err != nil {
		return st, err
	}
	defer f.Close()
	if err := prepare(f, st.Offset); err != nil {
		return st, err
	}
	h, err := restoreHash(st.Hash)
	if err != nil {
		return st, err
	}
	n, rerr, werr := copyHashed(f, h, r)
	if werr != nil {
		return st, werr
	}
	if err := f.Sync(); err != nil {
		return st, err
	}
	hs, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return st, err
	}
	next := State{Offset: st.Offset + n, Hash: hs}
	if rerr != nil {
		return next, &ReadError{Err: rerr}
	}
	return next, nil
}

// prepare cuts the file to offset and positions it there.
func prepare(f *os.File, offset int64) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < offset {
		return fmt.Errorf("blob store: upload %s has %d bytes, its record says %d", f.Name(), fi.Size(), offset)
	}
	if fi.Size() > offset {
		if err := f.Truncate(offset); err != nil {
			return err
		}
	}
	_, err = f.Seek(offset, io.SeekStart)
	return err
}

func restoreHash(state []byte) (hash.Hash, error) {
	h := sha256.New()
	if state != nil {
		if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
			return nil, fmt.Errorf("blob store: restore upload hash: %w", err)
		}
	}
	return h, nil
}

// copyHashed copies r to w and h with a pooled buffer, telling read
// errors from write errors.
func copyHashed(w io.Writer, h hash.Hash, r io.Reader) (n int64, rerr, werr error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	for {
		k, err := r.Read(buf)
		if k > 0 {
			if _, werr = w.Write(buf[:k]); werr != nil {
				return n, nil, werr
			}
			h.Write(buf[:k])
			n += int64(k)
		}
		if err == io.EOF {
			return n, nil, nil
		}
		if err != nil {
			return n, err, nil
		}
	}
}

// Commit checks that the upload's st.Offset bytes hash to want and makes
// them the blob want. It returns ErrDigestMismatch, leaving the upload in
// place, when they do not. If the blob exists already the upload is just
// removed.
func (s *Store) Commit(id string, st State, want ecr.Digest) (Info, error) {
	p, err := s.uploadPath(id)
	if err != nil {
		return Info{}, err
	}
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, ErrNotFound
	} else if err != nil {
		return Info{}, err
	}
	got, err := digestOf(f, st, want.Algorithm())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Info{}, err
	}
	if got != want {
		return Info{}, ErrDigestMismatch
	}
	target := s.Path(want)
	if err := mkdirSynced(filepath.Dir(target)); err != nil {
		return Info{}, err
	}
	if info, err := s.Stat(want); err == nil {
		return info, s.RemoveUpload(id)
	}
	if err := os.Rename(p, target); err != nil {
		return Info{}, err
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return Info{}, err
	}
	if err := syncDir(s.uploads); err != nil {
		return Info{}, err
	}
	return s.Stat(want)
}

// digestOf is the digest of the file's first st.Offset bytes, cutting
// anything after them.
func digestOf(f *os.File, st State, algo string) (ecr.Digest, error) {
	if err := prepare(f, st.Offset); err != nil {
		return "", err
	}
	if algo == ecr.SHA256 {
		h, err := restoreHash(st.Hash)
		if err != nil {
			return "", err
		}
		return ecr.FromHash(algo, h), nil
	}
	h := ecr.NewHash(algo)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	if _, rerr, werr := copyHashed(io.Discard, h, io.LimitReader(f, st.Offset)); rerr != nil || werr != nil {
		return "", errors.Join(rerr, werr)
	}
	return ecr.FromHash(algo, h), nil
}

// RemoveUpload deletes an upload's file; a missing one is not an error.
func (s *Store) RemoveUpload(id string) error {
	p, err := s.uploadPath(id)
	if err != nil {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// WalkUploads calls fn for every upload file with its last write time.
func (s *Store) WalkUploads(fn func(id string, modTime time.Time) error) error {
	entries, err := os.ReadDir(s.uploads)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !ValidUploadID(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if err := fn(e.Name(), fi.ModTime()); err != nil {
			return err
		}
	}
	return nil
}
