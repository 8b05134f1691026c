// Package ecrdb keeps ECR records in the store: one table per record
// kind, typed accessors per table, and the operations that keep the
// tables consistent with each other (pushing an image moves tags and
// counts blob references; deleting it undoes both).
//
//	table           key                                              value
//	ecr.repositories <region>/<account>/<repo>                       ecr.Repository
//	ecr.images      <region>/<account>/<repo>@<digest>               ecr.Image
//	ecr.tags        <region>/<account>/<repo>:<tag>                  ecr.TagRef
//	ecr.referrers   <region>/<account>/<repo>@<subject>/<digest>     ecr.Descriptor
//	ecr.blobs       <region>/<account>/<repo>@<digest>               ecr.BlobLink
//	ecr.bloblinks   <digest>/<region>/<account>/<repo>               "" (reverse index)
//	ecr.uploads     <region>/<account>/<upload id>                   ecr.Upload
//	ecr.lifecyclepreviews <region>/<account>/<repo>                  ecr.LifecyclePreview
//
// Repository names may contain '/', so the repository part of a key ends
// with '@' (a digest follows) or ':' (a tag follows), which names never
// contain: the prefix "<region>/<account>/web@" lists the images of
// "web" and not those of "web/api".
//
// ecr.bloblinks is the one table keyed by digest first: blob content is
// shared by every repository of every account (package blobstore), and
// the garbage collector must find every repository that holds a blob.
// Its rows mirror ecr.blobs one for one.
//
// Every accessor takes the transaction it runs in; callers compose them
// inside one store.View or store.Update. Accessors return fault errors of
// package ecr for missing records (ErrRepositoryNotFound, ...), except
// the Get* functions, which return store.ErrNotFound.
package ecrdb

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	Repositories = "ecr.repositories"
	Images       = "ecr.images"
	Tags         = "ecr.tags"
	Referrers    = "ecr.referrers"
	Blobs        = "ecr.blobs"
	BlobLinks    = "ecr.bloblinks"
	Uploads      = "ecr.uploads"
)

// Scope is the region and account a request acts in.
type Scope struct {
	Region  string
	Account string
}

// Prefix is the key prefix of the scope.
func (s Scope) Prefix() string { return s.Region + "/" + s.Account + "/" }

func (s Scope) repoKey(repo string) string { return s.Prefix() + repo }

func (s Scope) digestKey(repo string, d ecr.Digest) string {
	return s.Prefix() + repo + "@" + string(d)
}

func (s Scope) tagKey(repo, tag string) string { return s.Prefix() + repo + ":" + tag }

func linkIndexKey(d ecr.Digest, s Scope, repo string) string {
	return string(d) + "/" + s.Prefix() + repo
}

// IsNotFound reports whether err is the store's not-found error.
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// after returns the Scan start key for "after this name" under prefix.
func after(prefix, name string) string {
	if name == "" {
		return ""
	}
	return prefix + name
}

// trimPrefix returns key without prefix.
func trimPrefix(key, prefix string) string { return strings.TrimPrefix(key, prefix) }

func decode[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}
