package lifecycle

import (
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// Refs are the references ECS makes to one repository's images: the tags
// and digests that tasks and services name.
type Refs struct {
	Digests map[ecr.Digest]bool
	Tags    map[string]bool
}

// Uses reports whether the references include the image, by digest or
// by any of its tags.
func (r Refs) Uses(im Image) bool {
	if r.Digests[im.Digest] {
		return true
	}
	for _, t := range im.Tags {
		if r.Tags[t] {
			return true
		}
	}
	return false
}

func (r *Refs) add(image, repo string) {
	name, tag, d := ParseImageRef(image)
	if name != repo {
		return
	}
	if d != "" {
		r.addDigest(d)
	} else {
		if r.Tags == nil {
			r.Tags = map[string]bool{}
		}
		r.Tags[tag] = true
	}
}

func (r *Refs) addDigest(d ecr.Digest) {
	if r.Digests == nil {
		r.Digests = map[ecr.Digest]bool{}
	}
	r.Digests[d] = true
}

// ParseImageRef splits a container image reference, such as
// localhost:4566/team/web:1.2 or localhost:4566/team/web@sha256:…, into
// the repository path without the registry host, the tag ("latest" when
// none is given and there is no digest) and the digest. The first path
// component is a host when it has a '.' or a ':' or is "localhost", as
// Docker reads references.
func ParseImageRef(ref string) (repo, tag string, digest ecr.Digest) {
	rest := ref
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			rest = rest[i+1:]
		}
	}
	if name, d, ok := strings.Cut(rest, "@"); ok {
		rest, digest = name, ecr.Digest(d)
	}
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		rest, tag = rest[:i], rest[i+1:]
	}
	if tag == "" && digest == "" {
		tag = "latest"
	}
	return rest, tag, digest
}

// InUse collects the references to repo's images in the scope's ECS
// state: the containers of every task that is not STOPPED (their image
// and the digest they resolved), and the container definitions of the
// task definitions that ACTIVE or DRAINING services deploy.
func InUse(tx store.ReadTx, s ecrdb.Scope, repo string) (Refs, error) {
	var refs Refs
	es := ecsdb.Scope{Region: s.Region, Account: s.Account}
	clusters, err := ecsdb.ListClusters(tx, es, "", 0)
	if err != nil {
		return refs, err
	}
	for _, c := range clusters {
		err := ecsdb.ScanTasks(tx, es, c.Name, "", func(t ecs.Task) error {
			if t.LastStatus == ecs.TaskStopped {
				return nil
			}
			for _, ct := range t.Containers {
				refs.add(ct.Image, repo)
				if ct.ImageDigest != "" && imageRepo(ct.Image) == repo {
					refs.addDigest(ecr.Digest(ct.ImageDigest))
				}
			}
			return nil
		})
		if err != nil {
			return refs, err
		}
		err = ecsdb.ScanServices(tx, es, c.Name, "", func(svc ecs.Service) error {
			if svc.Status != ecs.ServiceActive && svc.Status != ecs.ServiceDraining {
				return nil
			}
			for _, d := range svc.Deployments {
				if err := refs.addTaskDefinition(tx, es, d.TaskDefinition, repo); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return refs, err
		}
	}
	return refs, nil
}

func (r *Refs) addTaskDefinition(tx store.ReadTx, es ecsdb.Scope, arn, repo string) error {
	ref, err := ecs.ParseTaskDefinitionRef(arn)
	if err != nil || ref.Revision == 0 {
		return nil // not a revision ARN: nothing to protect by it
	}
	td, err := ecsdb.GetTaskDefinition(tx, es, ref.Family, ref.Revision)
	if ecsdb.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	for _, cd := range td.ContainerDefinitions {
		r.add(cd.Image, repo)
	}
	return nil
}

func imageRepo(ref string) string {
	name, _, _ := ParseImageRef(ref)
	return name
}
