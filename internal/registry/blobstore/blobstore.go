// Package blobstore keeps image content on disk: content-addressed blob
// files shared by every repository of every account, and the files of
// uploads in progress.
//
//	<data dir>/
//	├── blobs/
//	│   ├── sha256/
//	│   │   └── 3f/
//	│   │       └── 3f8a…c1      one file per blob, named by its hex digest
//	│   └── sha512/…             (sha512 content, same shape)
//	└── uploads/
//	    └── 6a1e…-…-…            one file per upload in progress, by upload ID
//
// A blob file appears only complete and verified: an upload streams into
// uploads/<id> while its sha256 is computed, is fsynced, is checked
// against the digest the client names, and is then renamed into blobs/
// (an atomic step on one file system) and the directory fsynced. A crash
// at any point leaves either no blob or a whole one; at worst an orphan
// upload file, which the garbage collector removes.
//
// Appends are resumable: Append returns the upload's new length and the
// sha256 state after it (encoding.BinaryMarshaler), which the caller
// records in the store. After a crash the file may hold bytes beyond the
// recorded length; the next Append truncates them and continues from the
// recorded state, so nothing is hashed twice and nothing is lost that the
// store says was kept. sha512 content is hashed once more at Commit.
//
// The package knows nothing of repositories or references; package
// registry decides what to keep (see its doc for garbage collection) and
// serialises the operations on one digest or one upload.
package blobstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// ErrNotFound is returned for a missing blob or upload.
var ErrNotFound = errors.New("blobstore: not found")

// Store is a blob store rooted in a data dir.
type Store struct {
	blobs, uploads string
}

// Open prepares the blob store under dataDir.
func Open(dataDir string) (*Store, error) {
	s := &Store{blobs: filepath.Join(dataDir, "blobs"), uploads: filepath.Join(dataDir, "uploads")}
	for _, d := range []string{s.blobs, s.uploads} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("blob store: %w", err)
		}
	}
	return s, nil
}

// Path is where a blob's file lives.
func (s *Store) Path(d ecr.Digest) string {
	h := d.Hex()
	if len(h) < 2 {
		h = "xx" + h
	}
	return filepath.Join(s.blobs, d.Algorithm(), h[:2], d.Hex())
}

// Info describes a blob file.
type Info struct {
	Digest  ecr.Digest
	Size    int64
	ModTime time.Time
}

// Stat returns a blob's size and time, or ErrNotFound.
func (s *Store) Stat(d ecr.Digest) (Info, error) {
	fi, err := os.Stat(s.Path(d))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, ErrNotFound
	} else if err != nil {
		return Info{}, err
	}
	return Info{Digest: d, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Open opens a blob for reading, or returns ErrNotFound.
func (s *Store) Open(d ecr.Digest) (*os.File, error) {
	f, err := os.Open(s.Path(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete removes a blob file. Readers that have it open keep reading.
func (s *Store) Delete(d ecr.Digest) error {
	p := s.Path(d)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(p))
}

// Walk calls fn for every blob file. Files whose names are not digests
// are skipped.
func (s *Store) Walk(fn func(Info) error) error {
	for _, algo := range []string{ecr.SHA256, ecr.SHA512} {
		root := filepath.Join(s.blobs, algo)
		err := filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if de.IsDir() {
				return nil
			}
			d, perr := ecr.ParseDigest(algo + ":" + de.Name())
			if perr != nil {
				return nil
			}
			fi, err := de.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil // deleted while walking
			} else if err != nil {
				return err
			}
			return fn(Info{Digest: d, Size: fi.Size(), ModTime: fi.ModTime()})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// syncDir fsyncs a directory so that entries created, renamed or removed
// in it are durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// mkdirSynced creates dir (and parents) and fsyncs each parent that
// gained an entry.
func mkdirSynced(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if err := mkdirSynced(parent); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}
